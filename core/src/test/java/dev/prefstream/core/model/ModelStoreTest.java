package dev.prefstream.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
  @TempDir
  Path dir;

  private static Manifest draft(String kind, int version, long step) {
    return new Manifest("unet", kind, version, version > 1 ? version - 1 : null, 0, step, 2500, "full",
        Map.of("lr", "1e-4"), Map.of("implicit_accuracy", 0.7), Map.of("prefs.clean-0", 42L), Map.of(), 0);
  }

  /** A write killed before its rename leaves a staging directory; the writer removes it when it starts. */
  @Test
  void stagingDirectoriesLeftByAKilledWriteAreRemoved() throws Exception {
    ModelStore store = new ModelStore(dir);
    store.publishVersion(draft(Manifest.VERSION, 1, 10), d -> Files.write(d.resolve("params.bin"), new byte[] {1}));
    store.saveCheckpoint(draft(Manifest.CHECKPOINT, 0, 10), d -> Files.write(d.resolve("state.bin"), new byte[] {2}));
    Path version = Files.createDirectories(dir.resolve("unet/.staging-v2-1234/sub"));
    Files.write(version.resolve("params.bin"), new byte[] {3});
    Files.createDirectories(dir.resolve("unet/checkpoints/.staging-step-20-5678"));

    assertEquals(2, store.removeStaging("unet"));
    assertTrue(Files.notExists(dir.resolve("unet/.staging-v2-1234")));
    assertTrue(Files.notExists(dir.resolve("unet/checkpoints/.staging-step-20-5678")));
    assertEquals(List.of(1), store.versions("unet"));
    assertEquals(10, store.latestCheckpoint("unet").orElseThrow().manifest().step());
    assertEquals(0, store.removeStaging("unet"));
    assertEquals(0, store.removeStaging("another-model"));
  }

  @Test
  void publishesVerifiesAndNeverReusesANumber() throws Exception {
    ModelStore store = new ModelStore(dir);
    ModelStore.Stored v1 = store.publishVersion(draft(Manifest.VERSION, 1, 10), d -> Files.write(d.resolve("params.bin"), new byte[] {1, 2, 3}));
    assertEquals(1, v1.manifest().version());
    assertEquals(64, v1.manifest().files().get("params.bin").length());
    assertEquals(Map.of("prefs.clean-0", 42L), store.version("unet", 1).manifest().offsets());
    assertEquals(v1.manifestSha256(), store.version("unet", 1).manifestSha256());
    assertThrows(IllegalStateException.class,
        () -> store.publishVersion(draft(Manifest.VERSION, 1, 20), d -> Files.write(d.resolve("params.bin"), new byte[] {9})));
    store.publishVersion(draft(Manifest.VERSION, 2, 20), d -> Files.write(d.resolve("params.bin"), new byte[] {4}));
    assertEquals(List.of(1, 2), store.versions("unet"));
    assertEquals(2, store.latestVersion("unet").orElseThrow());
    try (var s = Files.list(dir.resolve("unet"))) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".staging")), "no staging left behind");
    }
  }

  @Test
  void tamperedFilesAreRefused() throws Exception {
    ModelStore store = new ModelStore(dir);
    ModelStore.Stored v = store.publishVersion(draft(Manifest.VERSION, 1, 1), d -> Files.write(d.resolve("params.bin"), new byte[] {1, 2, 3}));
    Files.write(v.file("params.bin"), new byte[] {1, 2, 4});
    ModelIntegrityException e = assertThrows(ModelIntegrityException.class, () -> store.version("unet", 1));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
  }

  @Test
  void latestCheckpointSkipsADamagedOneAndPruneKeepsTheNewest() throws Exception {
    ModelStore store = new ModelStore(dir);
    for (long step : new long[] {10, 20, 30}) {
      store.saveCheckpoint(draft(Manifest.CHECKPOINT, 0, step), d -> Files.write(d.resolve("state.bin"), new byte[] {(byte) step}));
    }
    Files.write(dir.resolve("unet/checkpoints/step-30/state.bin"), new byte[] {0});
    assertEquals(20, store.latestCheckpoint("unet").orElseThrow().manifest().step());
    store.pruneCheckpoints("unet", 1);
    assertTrue(Files.exists(dir.resolve("unet/checkpoints/step-30")));
    assertTrue(Files.notExists(dir.resolve("unet/checkpoints/step-10")));
  }

  @Test
  void namesCannotEscapeTheStore() {
    ModelStore store = new ModelStore(dir);
    assertThrows(IllegalArgumentException.class, () -> store.latestVersion("../etc"));
    assertThrows(ModelIntegrityException.class, () -> store.open(dir.getParent()));
  }
}
