package dev.prefstream.sim.pretrain;

import dev.prefstream.diffusion.store.StoredUNet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.model.ModelIntegrityException;
import dev.prefstream.core.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.sim.eval.ModelImageSource;
import dev.prefstream.sim.world.Prompt;
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

  /**
   * The shipped base model draws the background the prompt asks for (decision 0010): the one before
   * it drew the same picture for every prompt, corner colours equal to 0.01 across six backgrounds.
   */
  @Test
  void theShippedBaseModelFollowsThePrompt(@TempDir Path dir) {
    ModelStore store = new ModelStore(dir);
    BaseModel.install(store);
    String[] backgrounds = {"red", "blue", "yellow", "black"};
    double[][] corners = new double[backgrounds.length][];
    try (ModelImageSource base = ModelImageSource.fromStore(store, "unet", 0, 20, 3f)) {
      for (int b = 0; b < backgrounds.length; b++) {
        Prompt prompt = Prompt.parse("a small green circle at the center on a " + backgrounds[b] + " background");
        corners[b] = meanCorner(base.generate(List.of(prompt, prompt, prompt, prompt), new long[] {1, 2, 3, 4}));
      }
    }
    String seen = java.util.Arrays.deepToString(corners);
    System.out.println("shipped base, mean corner RGB for " + String.join(", ", backgrounds) + ": " + seen);
    // red: more red than blue; blue: the reverse; yellow: bright red and green; black: dark
    assertTrue(corners[0][0] - corners[0][2] > CONTRAST, seen);
    assertTrue(corners[1][2] - corners[1][0] > CONTRAST, seen);
    assertTrue(corners[2][1] - corners[2][2] > CONTRAST, seen);
    assertTrue(mean(corners[2]) - mean(corners[3]) > CONTRAST, seen);
  }

  private static final double CONTRAST = 0.2;

  /** Mean RGB over the four 3x3 corners of the images. */
  private static double[] meanCorner(List<RgbImage> images) {
    double[] sum = new double[3];
    int n = 0;
    for (RgbImage im : images) {
      int last = im.width() - 1;
      for (int y : new int[] {0, 1, 2, last - 2, last - 1, last}) {
        for (int x : new int[] {0, 1, 2, last - 2, last - 1, last}) {
          for (int c = 0; c < 3; c++) {
            sum[c] += im.get(c, y, x);
          }
          n++;
        }
      }
    }
    return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
  }

  private static double mean(double[] rgb) {
    return (rgb[0] + rgb[1] + rgb[2]) / 3;
  }

  @Test
  void theShippedBaseModelInstallsAndVerifies(@TempDir Path dir) {
    ModelStore.Stored v0 = BaseModel.install(new ModelStore(dir));
    assertEquals(0, v0.manifest().version());
    assertEquals("32", v0.manifest().config().get("unet.image-size"));
  }
}
