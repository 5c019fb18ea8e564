package dev.prefstream.scorer.builtin;

import dev.prefstream.core.image.RgbImage;
import java.util.Arrays;
import java.util.Set;

/**
 * The share of an image's pixels in each {@link ColorName}. Large images are sampled on a regular
 * grid of at most {@value #MAX_SAMPLES} pixels, which keeps the cost bounded and changes shares of
 * any region bigger than a few grid cells only slightly.
 */
public final class ColorHistogram {
  static final int MAX_SAMPLES = 1 << 16;

  private final double[] shares;
  private final double[] descending;

  private ColorHistogram(double[] shares) {
    this.shares = shares;
    this.descending = shares.clone();
    Arrays.sort(descending);
    for (int i = 0, j = descending.length - 1; i < j; i++, j--) {
      double t = descending[i];
      descending[i] = descending[j];
      descending[j] = t;
    }
  }

  /** Classifies the pixels of an image (a regular sample of them when it is large). */
  public static ColorHistogram of(RgbImage image) {
    int w = image.width();
    int h = image.height();
    int step = (int) Math.ceil(Math.sqrt((double) w * h / MAX_SAMPLES));
    float[] chw = image.chw();
    int plane = w * h;
    long[] counts = new long[ColorName.values().length];
    long total = 0;
    for (int y = step / 2; y < h; y += step) {
      for (int x = step / 2; x < w; x += step) {
        int i = y * w + x;
        counts[ColorName.classify(chw[i], chw[plane + i], chw[2 * plane + i])]++;
        total++;
      }
    }
    double[] shares = new double[counts.length];
    for (int c = 0; c < counts.length; c++) {
      shares[c] = (double) counts[c] / total;
    }
    return new ColorHistogram(shares);
  }

  /** The share of pixels whose name is one of {@code names}. */
  public double share(Set<ColorName> names) {
    double sum = 0;
    for (ColorName name : names) {
      sum += shares[name.ordinal()];
    }
    return sum;
  }

  /** The share of the {@code rank}-th most frequent name (1 = dominant); 0 past the last name. */
  public double rankedShare(int rank) {
    return rank <= descending.length ? descending[rank - 1] : 0;
  }
}
