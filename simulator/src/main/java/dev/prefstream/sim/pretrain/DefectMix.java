package dev.prefstream.sim.pretrain;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.sim.world.Defects;
import dev.prefstream.sim.world.Prompt;
import dev.prefstream.sim.world.Renderer;
import java.util.random.RandomGenerator;

/**
 * How often each deliberate defect appears in the base model's training set, one defect per sample at
 * most (the shares are of disjoint cases; the rest is rendered ideal), and how strong each is. Colour
 * defects change what is drawn but keep the caption, so the model learns to misalign; image defects
 * degrade the ideal render, so it learns blur, grain and dull contrast.
 *
 * @param wrongColor share of samples whose object is drawn in another colour
 * @param wrongBackground share of samples drawn on another background
 * @param blur share of blurred samples, Gaussian sigma uniform in [{@code blurMin}, {@code blurMax}] pixels
 * @param noise share of grainy samples, noise sigma uniform in [{@code noiseMin}, {@code noiseMax}]
 * @param lowContrast share of dull samples, contrast factor uniform in [{@code contrastMin}, {@code contrastMax}]
 * @param blurMin smallest blur sigma
 * @param blurMax largest blur sigma
 * @param noiseMin smallest noise sigma
 * @param noiseMax largest noise sigma
 * @param contrastMin strongest contrast reduction (factor)
 * @param contrastMax weakest contrast reduction (factor)
 */
public record DefectMix(
    double wrongColor, double wrongBackground, double blur, double noise, double lowContrast,
    double blurMin, double blurMax, double noiseMin, double noiseMax, double contrastMin, double contrastMax) {

  /** What was done to one training sample. */
  public enum Kind {
    IDEAL, WRONG_COLOR, WRONG_BACKGROUND, BLUR, NOISE, LOW_CONTRAST
  }

  /** One training image and the defect it carries; {@code caption} is always the intended prompt. */
  public record Sample(Prompt caption, RgbImage image, Kind kind) {}

  public DefectMix {
    double sum = wrongColor + wrongBackground + blur + noise + lowContrast;
    if (wrongColor < 0 || wrongBackground < 0 || blur < 0 || noise < 0 || lowContrast < 0 || sum > 1 + 1e-9) {
      throw new IllegalArgumentException("defect shares must be >= 0 and sum to at most 1: " + sum);
    }
    if (!(0 < blurMin && blurMin <= blurMax && 0 < noiseMin && noiseMin <= noiseMax
        && 0 <= contrastMin && contrastMin <= contrastMax && contrastMax <= 1)) {
      throw new IllegalArgumentException("bad defect strength ranges");
    }
  }

  /**
   * 25% wrong object colour, 10% wrong background, 20% blur (sigma 0.8-1.8 px), 20% noise (sigma
   * 0.05-0.12), 15% low contrast (factor 0.25-0.55), 10% ideal.
   */
  public static DefectMix standard() {
    return new DefectMix(0.25, 0.10, 0.20, 0.20, 0.15, 0.8, 1.8, 0.05, 0.12, 0.25, 0.55);
  }

  /** Draws the defect of one sample of {@code caption} and renders it. */
  public Sample sample(Prompt caption, Renderer renderer, RandomGenerator rng) {
    double u = rng.nextDouble();
    if ((u -= wrongColor) < 0) {
      return new Sample(caption, renderer.render(Defects.wrongObjectColor(caption, rng)), Kind.WRONG_COLOR);
    }
    if ((u -= wrongBackground) < 0) {
      return new Sample(caption, renderer.render(Defects.wrongBackground(caption, rng)), Kind.WRONG_BACKGROUND);
    }
    RgbImage ideal = renderer.render(caption);
    if ((u -= blur) < 0) {
      return new Sample(caption, Defects.blur(ideal, uniform(rng, blurMin, blurMax)), Kind.BLUR);
    }
    if ((u -= noise) < 0) {
      return new Sample(caption, Defects.noise(ideal, uniform(rng, noiseMin, noiseMax), rng), Kind.NOISE);
    }
    if ((u -= lowContrast) < 0) {
      return new Sample(caption, Defects.lowContrast(ideal, uniform(rng, contrastMin, contrastMax)), Kind.LOW_CONTRAST);
    }
    return new Sample(caption, ideal, Kind.IDEAL);
  }

  private static double uniform(RandomGenerator rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }
}
