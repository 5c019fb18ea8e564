package dev.prefstream.sim.pretrain;

import dev.prefstream.diffusion.store.StoredUNet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.model.ModelIntegrityException;
import dev.prefstream.core.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseModelTest {
  @TempDir static Path shared;
  static Path shipped;

  /** A tiny base model laid out like the shipped one. */
  @BeforeAll
  static void pretrainTinyBase() throws Exception {
    ModelStore.Stored v0 = TinyModels.publishBase(new ModelStore(shared.resolve("origin")), 2).published();
    shipped = Files.createDirectory(shared.resolve("shipped"));
    for (String f : new String[] {"manifest.json", StoredUNet.PARAMETERS}) {
      Files.copy(v0.dir().resolve(f), shipped.resolve(f));
    }
  }

  @Test
  void installsAsVersionZeroAndIsIdempotent(@TempDir Path dir) {
    ModelStore store = new ModelStore(dir);
    ModelStore.Stored installed = BaseModel.install(store, shipped);
    assertEquals(0, installed.manifest().version());
    assertEquals(installed.manifest().files(), store.version("unet", 0).manifest().files());
    assertEquals(installed.manifest().files(), BaseModel.install(store, shipped).manifest().files());
  }

  @Test
  void refusesATamperedParameterFileAndWritesNothing(@TempDir Path dir) throws Exception {
    Path tampered = Files.createDirectory(dir.resolve("tampered"));
    Files.copy(shipped.resolve("manifest.json"), tampered.resolve("manifest.json"));
    byte[] params = Files.readAllBytes(shipped.resolve(StoredUNet.PARAMETERS));
    params[params.length / 2] ^= 1;
    Files.write(tampered.resolve(StoredUNet.PARAMETERS), params);

    ModelStore store = new ModelStore(dir.resolve("store"));
    ModelIntegrityException e = assertThrows(ModelIntegrityException.class, () -> BaseModel.install(store, tampered));
    assertTrue(e.getMessage().contains(StoredUNet.PARAMETERS), e.getMessage());
    assertTrue(store.versions("unet").isEmpty());
  }

  @Test
  void theShippedBaseModelInstallsAndVerifies(@TempDir Path dir) {
    ModelStore.Stored v0 = BaseModel.install(new ModelStore(dir));
    assertEquals(0, v0.manifest().version());
    assertEquals("32", v0.manifest().config().get("unet.image-size"));
  }
}
