package dev.prefstream.scorer.builtin;

import dev.prefstream.core.image.RgbImage;

/** The Rec. 601 luma plane of an image, row-major (H, W). */
final class Luma {
  private Luma() {}

  static float[] plane(RgbImage image) {
    float[] chw = image.chw();
    int n = image.width() * image.height();
    float[] luma = new float[n];
    for (int i = 0; i < n; i++) {
      luma[i] = 0.299f * chw[i] + 0.587f * chw[n + i] + 0.114f * chw[2 * n + i];
    }
    return luma;
  }
}
