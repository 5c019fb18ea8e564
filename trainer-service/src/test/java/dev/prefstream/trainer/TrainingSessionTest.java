package dev.prefstream.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.model.Manifest;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.model.UNetDenoiser;
import dev.prefstream.diffusion.store.StoredUNet;
import dev.prefstream.diffusion.train.DpoStepResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model side without Kafka: where the policy comes from, versions, checkpoints, exact resume. */
class TrainingSessionTest {
  private static final Map<String, String> TINY = Map.of(
      "trainer.model", "tiny",
      "trainer.image-size", "8",
      "trainer.unet.base-channels", "8",
      "trainer.unet.groups", "4",
      "trainer.unet.word-dim", "8",
      "trainer.unet.max-tokens", "6",
      "trainer.vocabulary", String.join(",", Pairs.WORDS),
      "trainer.batch-pairs", "4",
      "trainer.lr", "1e-3",
      "trainer.reference", "per-version:2");

  private static TrainerConfig config(Path root) {
    Map<String, String> m = new HashMap<>(TINY);
    m.put("models.root", root.toString());
    return TrainerConfig.from(PrefstreamConfig.of(m));
  }

  private static ReplayBuffer buffer(int n) {
    ReplayBuffer buffer = new ReplayBuffer(64, 8);
    Random random = new Random(7);
    for (int i = 0; i < n; i++) {
      buffer.put(Pairs.training("p" + i, 8, random), i % 5 == 4);
    }
    return buffer;
  }

  private static List<Double> losses(TrainingSession session, ReplayBuffer buffer, int steps) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      DpoStepResult r = session.step(buffer);
      out.add(r.loss());
    }
    return out;
  }

  @Test
  void aFreshModelBecomesTheBaseVersionAndLaterVersionsContinueItsLineage(@TempDir Path root) {
    TrainerConfig config = config(root);
    ModelStore store = new ModelStore(root);
    ReplayBuffer buffer = buffer(20);
    try (TrainingSession session = TrainingSession.open(config, store)) {
      assertEquals(TrainingSession.Origin.FRESH, session.origin());
      Manifest v0 = session.publishVersion(Map.of(), Map.of()).manifest();
      assertEquals(0, v0.version());
      assertNull(v0.parent());
      assertEquals(0, v0.referenceVersion());
      assertEquals("half", v0.betaConvention());
      assertEquals("8", v0.config().get("unet.image-size"));
      losses(session, buffer, 2);
      Map<String, Double> metrics = session.evaluate(buffer.holdout());
      assertEquals(4.0, metrics.get("holdout_pairs"));
      assertTrue(metrics.containsKey("holdout_accuracy_t950"));
      Manifest v1 = session.publishVersion(metrics, Map.of("t-0", 5L)).manifest();
      assertEquals(1, v1.version());
      assertEquals(0, v1.parent());
      assertEquals(0, v1.referenceVersion());
      assertTrue(v1.files().containsKey(StoredUNet.PARAMETERS) && v1.files().containsKey(StoredUNet.REFERENCE));
      Manifest v2 = session.publishVersion(Map.of(), Map.of()).manifest();
      assertEquals(0, v2.referenceVersion(), "v2 was trained against v0; the reference becomes v2 after it");
      Manifest v3 = session.publishVersion(Map.of(), Map.of()).manifest();
      assertEquals(2, v3.referenceVersion(), "per-version:2");
    }
    try (TrainingSession restarted = TrainingSession.open(config, store)) {
      assertEquals(TrainingSession.Origin.VERSION, restarted.origin(), "no checkpoint: the newest version");
      assertEquals(3, restarted.lastVersion());
      assertEquals(4, restarted.publishVersion(Map.of(), Map.of()).manifest().version());
    }
  }

  @Test
  void aCheckpointResumesTrainingExactly(@TempDir Path root) {
    TrainerConfig config = config(root);
    ModelStore store = new ModelStore(root);
    ReplayBuffer buffer = buffer(20);
    List<Double> continued;
    try (TrainingSession session = TrainingSession.open(config, store)) {
      session.publishVersion(Map.of(), Map.of());
      losses(session, buffer, 3);
      session.checkpoint(Map.of("t.clean-0", 17L));
      continued = losses(session, buffer, 3);
    }
    try (TrainingSession resumed = TrainingSession.open(config, store)) {
      assertEquals(TrainingSession.Origin.CHECKPOINT, resumed.origin());
      assertEquals(3, resumed.step());
      assertEquals(Map.of("t.clean-0", 17L), resumed.resumedOffsets());
      List<Double> again = losses(resumed, buffer, 3);
      assertArrayEquals(continued.stream().mapToDouble(Double::doubleValue).toArray(),
          again.stream().mapToDouble(Double::doubleValue).toArray(), 1e-6,
          "same parameters, optimizer, sampler and noise after the restore");
    }
  }

  @Test
  void aFreshUNetNeedsAVocabulary(@TempDir Path root) {
    Map<String, String> m = new HashMap<>(TINY);
    m.remove("trainer.vocabulary");
    m.put("models.root", root.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingSession.open(TrainerConfig.from(PrefstreamConfig.of(m)), new ModelStore(root)));
    assertTrue(e.getMessage().contains("trainer.vocabulary"), e.getMessage());
  }

  @Test
  void aPublishedVersionLoadsBackWithItsParameters(@TempDir Path root) throws Exception {
    ModelStore store = new ModelStore(root);
    try (TrainingSession session = TrainingSession.open(config(root), store)) {
      ModelStore.Stored v0 = session.publishVersion(Map.of(), Map.of());
      try (UNetDenoiser loaded = StoredUNet.load(store, "tiny", 0);
          UNetDenoiser fresh = UNetDenoiser.create(config(root).freshUNet(), 42)) {
        assertArrayEquals(fresh.parameters().valueAt(3).getArray().toFloatArray(),
            loaded.parameters().valueAt(3).getArray().toFloatArray(), "the fresh UNet is seeded");
        assertEquals(config(root).freshUNet(), StoredUNet.config(v0.manifest()), "the architecture round-trips");
      }
    }
  }
}
