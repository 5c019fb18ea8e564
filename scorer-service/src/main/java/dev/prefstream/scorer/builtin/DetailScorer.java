package dev.prefstream.scorer.builtin;

import dev.prefstream.core.image.RgbImage;

/**
 * Detail (sharpness): the variance of the 4-neighbour Laplacian of luma over the interior pixels.
 * Edges and fine texture give large second derivatives; blur removes them.
 *
 * <p>Measures: focus, crisp edges, fine texture. Misses: noise and JPEG ringing also score high (it
 * cannot tell detail from noise), it ignores content and prompt, and its scale depends on the
 * resolution (an upscaled image is smoother per pixel), so compare images of one size. Prompt is
 * ignored. Range: 0 for a flat image, 16 at most (a one-pixel black and white checkerboard).
 */
public final class DetailScorer extends PixelScorer {
  public static final String NAME = "detail";
  public static final String VERSION = "1";

  public DetailScorer() {
    super(NAME, VERSION);
  }

  @Override
  public boolean usesPrompt() {
    return false;
  }

  @Override
  double score(RgbImage image, String prompt) {
    return laplacianVariance(image);
  }

  /** Variance of the Laplacian of luma; 0 for images narrower or lower than 3 pixels. */
  static double laplacianVariance(RgbImage image) {
    int w = image.width();
    int h = image.height();
    if (w < 3 || h < 3) {
      return 0;
    }
    float[] luma = Luma.plane(image);
    double sum = 0;
    double sumSq = 0;
    for (int y = 1; y < h - 1; y++) {
      int row = y * w;
      for (int x = 1; x < w - 1; x++) {
        int i = row + x;
        double lap = luma[i - 1] + luma[i + 1] + luma[i - w] + luma[i + w] - 4f * luma[i];
        sum += lap;
        sumSq += lap * lap;
      }
    }
    double n = (double) (w - 2) * (h - 2);
    double mean = sum / n;
    return Math.max(0, sumSq / n - mean * mean);
  }
}
