package dev.prefstream.sim.world;

import dev.prefstream.core.image.RgbImage;
import java.util.random.RandomGenerator;

/**
 * The deliberate defects of the base model's training set. Colour defects change the prompt that is
 * rendered (so the image no longer matches its caption); image defects return a new degraded image and
 * leave their input untouched. Random choices come from the caller's seeded generator.
 */
public final class Defects {

  private Defects() {}

  /** {@code prompt} with its object colour replaced by a random other colour, never the background. */
  public static Prompt wrongObjectColor(Prompt prompt, RandomGenerator rng) {
    PaletteColor c = randomColorExcept(rng, prompt.color(), prompt.background());
    return new Prompt(prompt.size(), c, prompt.shape(), prompt.position(), prompt.background());
  }

  /** {@code prompt} with its background replaced by a random other colour, never the object's. */
  public static Prompt wrongBackground(Prompt prompt, RandomGenerator rng) {
    PaletteColor c = randomColorExcept(rng, prompt.background(), prompt.color());
    return new Prompt(prompt.size(), prompt.color(), prompt.shape(), prompt.position(), c);
  }

  /** Gaussian blur of standard deviation {@code sigma} pixels (edges clamped); sigma 0 copies. */
  public static RgbImage blur(RgbImage image, double sigma) {
    if (!(sigma >= 0)) {
      throw new IllegalArgumentException("sigma must be >= 0: " + sigma);
    }
    if (sigma == 0) {
      return image.copy();
    }
    double[] kernel = gaussianKernel(sigma);
    int r = kernel.length / 2;
    int w = image.width();
    int h = image.height();
    RgbImage across = RgbImage.blank(w, h);
    RgbImage out = RgbImage.blank(w, h);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double s = 0;
          for (int k = -r; k <= r; k++) {
            s += kernel[k + r] * image.get(c, y, clamp(x + k, w));
          }
          across.set(c, y, x, (float) s);
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double s = 0;
          for (int k = -r; k <= r; k++) {
            s += kernel[k + r] * across.get(c, clamp(y + k, h), x);
          }
          out.set(c, y, x, (float) s);
        }
      }
    }
    return out;
  }

  /** Adds independent Gaussian noise of standard deviation {@code sigma} to every value, clipped to [0, 1]. */
  public static RgbImage noise(RgbImage image, double sigma, RandomGenerator rng) {
    if (!(sigma >= 0)) {
      throw new IllegalArgumentException("sigma must be >= 0: " + sigma);
    }
    float[] values = image.chw().clone();
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) Math.min(1, Math.max(0, values[i] + sigma * rng.nextGaussian()));
    }
    return new RgbImage(image.width(), image.height(), values);
  }

  /**
   * Pulls every value towards the image's mean grey: {@code mean + factor * (value - mean)}, so factor 1
   * copies and factor 0 gives a flat grey image.
   */
  public static RgbImage lowContrast(RgbImage image, double factor) {
    if (!(factor >= 0 && factor <= 1)) {
      throw new IllegalArgumentException("factor must be in [0, 1]: " + factor);
    }
    float[] values = image.chw().clone();
    double mean = 0;
    for (float v : values) {
      mean += v;
    }
    mean /= values.length;
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (mean + factor * (values[i] - mean));
    }
    return new RgbImage(image.width(), image.height(), values);
  }

  private static PaletteColor randomColorExcept(RandomGenerator rng, PaletteColor a, PaletteColor b) {
    PaletteColor[] all = PaletteColor.values();
    PaletteColor c;
    do {
      c = all[rng.nextInt(all.length)];
    } while (c == a || c == b);
    return c;
  }

  private static double[] gaussianKernel(double sigma) {
    int r = Math.max(1, (int) Math.ceil(3 * sigma));
    double[] k = new double[2 * r + 1];
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
      sum += k[i + r];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    return k;
  }

  private static int clamp(int i, int n) {
    return Math.max(0, Math.min(n - 1, i));
  }
}
