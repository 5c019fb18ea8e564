package dev.prefstream.sim.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.schemas.PairIds;
import dev.prefstream.sim.pretrain.TinyModels;
import dev.prefstream.sim.world.PromptSplit;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairGeneratorTest {

  static FeederConfig tinyFeeder() {
    return FeederConfig.from(PrefstreamConfig.of(Map.of("feeder.ddim-steps", "4", "feeder.votes-per-pair", "3",
        "feeder.population.size", "20")));
  }

  @Test
  void pairsAreStoredWithMatchingDigestsAndVotesCarryTheTruth(@TempDir Path dir) throws Exception {
    ModelStore models = new ModelStore(dir.resolve("models"));
    TinyModels.publishBase(models, 2);
    ImageStore images = new ImageStore(ImageStore.Settings.of(dir.resolve("data")));
    try (PairGenerator generator = new PairGenerator(tinyFeeder(), models, images, Clock.systemUTC())) {
      List<GeneratedPair> pairs = generator.generate(4);
      assertFalse(pairs.isEmpty());
      for (GeneratedPair pair : pairs) {
        assertTrue(PromptSplit.standard().training().contains(pair.prompt()));
        assertNotEquals(pair.imageA().getSha256(), pair.imageB().getSha256());
        assertEquals(pair.imageA().getSha256(), PairIds.sha256Hex(images.fetch(pair.imageA())));
        assertEquals(pair.imageB().getSha256(), PairIds.sha256Hex(images.fetch(pair.imageB())));
        assertEquals(3, pair.votes().size());
        Set<String> users = new HashSet<>();
        for (PreferenceVote v : pair.votes()) {
          users.add(v.getUserId());
          assertEquals(PairIds.pairId(v), v.getPairId());
          assertEquals(pair.pairId(), v.getPairId());
          assertEquals("simulator", v.getSource());
          double truth = Double.parseDouble(v.getAttributes().get(PairGenerator.TRUE_PREFERENCE));
          assertTrue(truth >= 0 && truth <= 1, "true preference " + truth);
          assertEquals(truth, pair.truePreferenceA(), 1e-6);
          double oracleA = Double.parseDouble(v.getAttributes().get(PairGenerator.ORACLE_A));
          assertTrue(oracleA >= 0 && oracleA <= 1);
          assertEquals("0", v.getAttributes().get(PairGenerator.MODEL_VERSION));
        }
        assertEquals(3, users.size(), "distinct users per pair");
      }
    }
  }

  @Test
  void switchesOnlyToNewerVersions(@TempDir Path dir) {
    ModelStore models = new ModelStore(dir.resolve("models"));
    TinyModels.publishBase(models, 1);
    ImageStore images = new ImageStore(ImageStore.Settings.of(dir.resolve("data")));
    try (PairGenerator generator = new PairGenerator(tinyFeeder(), models, images, Clock.systemUTC())) {
      assertFalse(generator.useVersion(0));
      assertEquals(0, generator.modelVersion());
    }
  }

  @Test
  void fourImagesOfAPromptGiveSixPairsOverFourImages(@TempDir Path dir) {
    ModelStore models = new ModelStore(dir.resolve("models"));
    TinyModels.publishBase(models, 2);
    ImageStore images = new ImageStore(ImageStore.Settings.of(dir.resolve("data")));
    FeederConfig four = FeederConfig.from(PrefstreamConfig.of(Map.of("feeder.ddim-steps", "4",
        "feeder.votes-per-pair", "3", "feeder.population.size", "20", "feeder.images-per-prompt", "4")));
    assertEquals(6, four.pairsPerPrompt());
    assertEquals(2, four.promptsFor(7));
    try (PairGenerator generator = new PairGenerator(four, models, images, Clock.systemUTC())) {
      List<GeneratedPair> pairs = generator.generate(2);
      assertTrue(pairs.size() <= 12 && pairs.size() >= 10, "two prompts' six pairs each, less identical ones: " + pairs.size());
      Set<String> pairIds = new HashSet<>();
      Map<String, Integer> pairsPerImage = new java.util.HashMap<>();
      for (GeneratedPair pair : pairs) {
        pairIds.add(pair.pairId());
        pairsPerImage.merge(pair.imageA().getSha256(), 1, Integer::sum);
        pairsPerImage.merge(pair.imageB().getSha256(), 1, Integer::sum);
        assertEquals(3, pair.votes().size());
      }
      assertEquals(pairs.size(), pairIds.size(), "every pair once");
      if (pairs.size() == 12) {
        assertEquals(8, pairsPerImage.size(), "eight images");
        pairsPerImage.values().forEach(n -> assertEquals(3, n, "each image is paired with its prompt's three others"));
      }
    }
  }
}
