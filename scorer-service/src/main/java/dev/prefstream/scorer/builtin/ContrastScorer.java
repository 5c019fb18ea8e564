package dev.prefstream.scorer.builtin;

import dev.prefstream.core.image.RgbImage;

/**
 * Contrast: RMS contrast, the standard deviation of luma (in [0, 0.5]).
 *
 * <p>Measures: tonal range; washed-out, hazy or under-exposed flat images score low. Misses: it
 * rewards harsh contrast without limit (a black/white checkerboard is the maximum), says nothing
 * about where the contrast is (subject vs background) and ignores colour and prompt; a good
 * low-key or foggy image is penalised.
 */
public final class ContrastScorer extends PixelScorer {
  public static final String NAME = "contrast";
  public static final String VERSION = "1";

  public ContrastScorer() {
    super(NAME, VERSION);
  }

  @Override
  public boolean usesPrompt() {
    return false;
  }

  @Override
  double score(RgbImage image, String prompt) {
    float[] luma = Luma.plane(image);
    double sum = 0;
    double sumSq = 0;
    for (float v : luma) {
      sum += v;
      sumSq += (double) v * v;
    }
    double mean = sum / luma.length;
    return Math.sqrt(Math.max(0, sumSq / luma.length - mean * mean));
  }
}
