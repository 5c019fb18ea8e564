package dev.prefstream.diffusion;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.diffusion.model.UNetConfig;
import java.util.List;
import java.util.Random;

/** Tiny models and synthetic images for tests. */
public final class TestImages {
  public static final List<String> WORDS = List.of("a", "red", "blue", "square", "on", "gray");

  private TestImages() {}

  /** 8x8, 8 channels: fast enough for many steps in a unit test. */
  public static UNetConfig tinyConfig() {
    return new UNetConfig(8, 8, 4, 8, WORDS, 6);
  }

  /** A red (or blue) square at a random place on a gray background, with slight texture noise. */
  public static RgbImage square(int size, boolean red, Random random) {
    RgbImage image = RgbImage.blank(size, size);
    int side = size / 2 + random.nextInt(size / 4 + 1);
    int x0 = random.nextInt(size - side + 1);
    int y0 = random.nextInt(size - side + 1);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        boolean inside = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
        for (int c = 0; c < 3; c++) {
          float v = inside ? ((red && c == 0) || (!red && c == 2) ? 0.9f : 0.1f) : 0.5f;
          image.set(c, y, x, clamp(v + 0.03f * (float) random.nextGaussian()));
        }
      }
    }
    return image;
  }

  /** Whether the image is more red than blue overall. */
  public static boolean isRed(RgbImage image) {
    double diff = 0;
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        diff += image.get(0, y, x) - image.get(2, y, x);
      }
    }
    return diff > 0;
  }

  private static float clamp(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
