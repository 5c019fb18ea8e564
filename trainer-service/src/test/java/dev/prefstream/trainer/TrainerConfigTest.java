package dev.prefstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.diffusion.train.BetaConvention;
import dev.prefstream.diffusion.train.DpoConfig;
import dev.prefstream.diffusion.train.ReferenceUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {

  @Test
  void documentedDefaults() {
    TrainerConfig c = TrainerConfig.from(PrefstreamConfig.empty());
    assertEquals("unet", c.model());
    assertEquals(32, c.freshUNet().imageSize());
    assertEquals(8, c.batchPairs());
    assertEquals(1e-5f, c.learningRate());
    assertEquals(5000, c.beta());
    assertEquals(BetaConvention.HALF, c.betaConvention());
    assertEquals(500, c.stepsPerVersion());
    assertEquals(100, c.checkpointEvery());
    assertEquals(ReferenceSchedule.none(), c.reference());
    assertEquals(List.of(Feed.CLEAN, Feed.RELABELED), c.feeds());
    assertEquals(4096, c.bufferCapacity());
    assertEquals(64, c.minBuffer());
    assertEquals(0, c.maxSteps());
    assertEquals(Duration.ofSeconds(5), c.progressInterval());
    assertEquals(Path.of("data", "models"), c.modelStoreRoot());
  }

  @Test
  void readsItsKeysAndBuildsTheDpoSettings() {
    TrainerConfig c = TrainerConfig.from(PrefstreamConfig.of(Map.of(
        "trainer.feeds", "clean, conflicting",
        "trainer.reference", "soft:0.6:512",
        "trainer.beta", "2500",
        "trainer.beta-convention", "full",
        "trainer.lr", "1e-4",
        "trainer.warmup-steps", "50",
        "trainer.vocabulary", "a,red,square",
        "models.root", "/tmp/m")));
    assertEquals(List.of(Feed.CLEAN, Feed.CONFLICTING), c.feeds());
    assertEquals(List.of("a", "red", "square"), c.freshUNet().vocabulary());
    DpoConfig dpo = c.dpo();
    assertEquals(2500, dpo.beta());
    assertEquals(BetaConvention.FULL, dpo.convention());
    assertEquals(1e-4f, dpo.learningRate());
    assertEquals(50, dpo.warmupSteps());
    assertEquals(ReferenceUpdate.softUpdateEvery(512, 0.6f), dpo.referenceUpdate());
    assertEquals("soft:0.6:512", c.describe().get("trainer.reference"));
    assertEquals("clean,conflicting", c.describe().get("trainer.feeds"));
  }

  @Test
  void readsTheKlWeightAndRecordsItInManifests() {
    TrainerConfig c = TrainerConfig.from(PrefstreamConfig.of(Map.of("trainer.kl-weight", "2.5")));
    assertEquals(2.5, c.dpo().klWeight());
    assertEquals("2.5", c.describe().get("trainer.kl-weight"));
    TrainerConfig defaults = TrainerConfig.from(PrefstreamConfig.of(Map.of()));
    assertEquals(0, defaults.dpo().klWeight());
    assertThrows(IllegalArgumentException.class,
        () -> TrainerConfig.from(PrefstreamConfig.of(Map.of("trainer.kl-weight", "-1"))));
  }

  @Test
  void refusesInconsistentSettings() {
    assertThrows(IllegalArgumentException.class,
        () -> TrainerConfig.from(PrefstreamConfig.of(Map.of("trainer.feeds", "clean,votes"))));
    assertThrows(IllegalArgumentException.class,
        () -> TrainerConfig.from(PrefstreamConfig.of(Map.of("trainer.label-policy", "human"))),
        "the labeler decides the winner; the trainer has no label policy of its own");
    assertThrows(IllegalArgumentException.class,
        () -> TrainerConfig.from(PrefstreamConfig.of(Map.of("trainer.buffer.min", "5000"))));
    assertThrows(IllegalArgumentException.class,
        () -> TrainerConfig.from(PrefstreamConfig.of(Map.of("trainer.reference", "hard"))));
  }
}
