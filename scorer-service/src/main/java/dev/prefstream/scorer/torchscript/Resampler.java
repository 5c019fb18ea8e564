package dev.prefstream.scorer.torchscript;

/**
 * Separable resampling of one float plane with a {@link ResizeFilter}, half-pixel centres
 * ({@code align_corners=False}) and kernel widening when shrinking: for output pixel i,
 * centre = (i + 0.5) * scale, and inputs j within the widened support weigh
 * filter((j + 0.5 - centre) / max(scale, 1)), normalised to sum 1.
 */
final class Resampler {
  private final int[] start;
  private final int[] count;
  private final double[][] weights;

  private Resampler(int[] start, int[] count, double[][] weights) {
    this.start = start;
    this.count = count;
    this.weights = weights;
  }

  /** Precomputes the weights mapping {@code in} pixels to {@code out} pixels along one axis. */
  static Resampler of(ResizeFilter filter, int in, int out) {
    double scale = (double) in / out;
    double stretch = Math.max(scale, 1);
    double support = filter.support() * stretch;
    int[] start = new int[out];
    int[] count = new int[out];
    double[][] weights = new double[out][];
    for (int i = 0; i < out; i++) {
      double centre = (i + 0.5) * scale;
      int lo = Math.max((int) (centre - support + 0.5), 0);
      int hi = Math.min((int) (centre + support + 0.5), in);
      double[] w = new double[hi - lo];
      double total = 0;
      for (int j = lo; j < hi; j++) {
        w[j - lo] = filter.weight((j + 0.5 - centre) / stretch);
        total += w[j - lo];
      }
      for (int k = 0; k < w.length; k++) {
        w[k] = total != 0 ? w[k] / total : 0;
      }
      start[i] = lo;
      count[i] = w.length;
      weights[i] = w;
    }
    return new Resampler(start, count, weights);
  }

  /** Resamples rows: src (h, inW) at offset {@code srcOff} into dst (h, outW) at {@code dstOff}. */
  void rows(float[] src, int srcOff, int h, int inW, float[] dst, int dstOff) {
    int outW = start.length;
    for (int y = 0; y < h; y++) {
      int srcRow = srcOff + y * inW;
      int dstRow = dstOff + y * outW;
      for (int x = 0; x < outW; x++) {
        double[] w = weights[x];
        int base = srcRow + start[x];
        double sum = 0;
        for (int k = 0; k < count[x]; k++) {
          sum += w[k] * src[base + k];
        }
        dst[dstRow + x] = (float) sum;
      }
    }
  }

  /** Resamples columns: src (inH, w) at {@code srcOff} into dst (outH, w) at {@code dstOff}. */
  void columns(float[] src, int srcOff, int w, float[] dst, int dstOff) {
    int outH = start.length;
    for (int y = 0; y < outH; y++) {
      double[] wt = weights[y];
      int dstRow = dstOff + y * w;
      for (int x = 0; x < w; x++) {
        double sum = 0;
        for (int k = 0; k < count[y]; k++) {
          sum += wt[k] * src[srcOff + (start[y] + k) * w + x];
        }
        dst[dstRow + x] = (float) sum;
      }
    }
  }
}
