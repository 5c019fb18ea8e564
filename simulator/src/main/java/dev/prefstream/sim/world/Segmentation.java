package dev.prefstream.sim.world;

import dev.prefstream.core.image.RgbImage;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The oracle's reading of an image as one object on a flat background, from pixels alone.
 *
 * <p>The background colour is the per-channel median of the border pixels. The object colour is first
 * the mean of the pixels most unlike the background, then the mean of the object's interior (or, for
 * thin shapes, of its pixels most unlike the background). Each pixel's opacity {@code alpha} is its
 * colour projected on the background-to-object axis (linear unmixing, so anti-aliased edges get
 * fractional alpha), and the object is the largest 4-connected component of pixels with alpha at
 * least one half. Without a component at least {@code MIN_CONTRAST} away from the background, the
 * image holds no object ({@code present} is false).
 */
final class Segmentation {

  /** Below this RGB distance between object and background, there is no object. */
  private static final double MIN_CONTRAST = 0.08;
  /** The fewest interior pixels whose mean colour is trusted as the object's colour. */
  private static final int MIN_INTERIOR = 4;

  final int width;
  final int height;
  final double[] background;
  final double[] foreground;
  final float[] alpha;
  final boolean[] object;
  final boolean present;

  private Segmentation(RgbImage image) {
    width = image.width();
    height = image.height();
    background = borderMedian(image);
    double[] seed = seedForeground(image, background);
    if (seed == null) {
      foreground = background.clone();
      alpha = new float[width * height];
      object = new boolean[width * height];
      present = false;
      return;
    }
    boolean[] first = largestComponent(unmix(image, background, seed));
    double[] refined = objectColor(image, first);
    float[] a = unmix(image, background, refined);
    boolean[] obj = largestComponent(a);
    int count = 0;
    for (boolean b : obj) {
      count += b ? 1 : 0;
    }
    present = count > 0 && distance(refined, background) >= MIN_CONTRAST;
    foreground = refined;
    alpha = present ? a : new float[width * height];
    object = present ? obj : new boolean[width * height];
  }

  static Segmentation of(RgbImage image) {
    return new Segmentation(image);
  }

  /**
   * Chebyshev (chessboard) distance of every pixel to the nearest pixel of the other class, capped at
   * {@code cap}: 1 on both sides of the object's boundary, growing away from it.
   */
  int[] boundaryDistance(int cap) {
    int n = width * height;
    int[] dist = new int[n];
    Arrays.fill(dist, cap);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (touchesOtherClass(x, y)) {
          dist[y * width + x] = 1;
          queue.add(y * width + x);
        }
      }
    }
    while (!queue.isEmpty()) {
      int i = queue.poll();
      int x = i % width;
      int y = i / width;
      for (int dy = -1; dy <= 1; dy++) {
        for (int dx = -1; dx <= 1; dx++) {
          int nx = x + dx;
          int ny = y + dy;
          if (nx >= 0 && ny >= 0 && nx < width && ny < height && dist[ny * width + nx] > dist[i] + 1) {
            dist[ny * width + nx] = dist[i] + 1;
            queue.add(ny * width + nx);
          }
        }
      }
    }
    return dist;
  }

  private boolean touchesOtherClass(int x, int y) {
    boolean self = object[y * width + x];
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int nx = x + dx;
        int ny = y + dy;
        if (nx >= 0 && ny >= 0 && nx < width && ny < height && object[ny * width + nx] != self) {
          return true;
        }
      }
    }
    return false;
  }

  static double distance(double[] a, double[] b) {
    double s = 0;
    for (int c = 0; c < 3; c++) {
      s += (a[c] - b[c]) * (a[c] - b[c]);
    }
    return Math.sqrt(s);
  }

  private static double[] borderMedian(RgbImage image) {
    int w = image.width();
    int h = image.height();
    double[] out = new double[3];
    for (int c = 0; c < 3; c++) {
      double[] ring = new double[w == 1 || h == 1 ? w * h : 2 * w + 2 * h - 4];
      int k = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          if (y == 0 || x == 0 || y == h - 1 || x == w - 1) {
            ring[k++] = finite(image.get(c, y, x));
          }
        }
      }
      Arrays.sort(ring);
      out[c] = ring[ring.length / 2];
    }
    return out;
  }

  /**
   * The mean colour of the pixels whose 3x3-smoothed distance to the background is at least 60% of
   * the largest, or null when even the largest is below {@link #MIN_CONTRAST}.
   */
  private static double[] seedForeground(RgbImage image, double[] bg) {
    int w = image.width();
    int h = image.height();
    double[] d = new double[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        d[y * w + x] = distance(colorAt(image, x, y), bg);
      }
    }
    double[] smooth = boxMean(d, w, h);
    double peak = Arrays.stream(smooth).max().orElse(0);
    if (peak < MIN_CONTRAST) {
      return null;
    }
    double[] sum = new double[3];
    int count = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (smooth[y * w + x] >= 0.6 * peak) {
          double[] px = colorAt(image, x, y);
          for (int c = 0; c < 3; c++) {
            sum[c] += px[c];
          }
          count++;
        }
      }
    }
    for (int c = 0; c < 3; c++) {
      sum[c] /= count;
    }
    return sum;
  }

  /**
   * The mean colour of the mask's interior (pixels whose 8 neighbours are all in it) when it has at
   * least {@link #MIN_INTERIOR} pixels; otherwise (thin shapes) of the mask's pixels at least 95% as far
   * from the background as the farthest, which skips the mixed colours of anti-aliased edges.
   */
  private double[] objectColor(RgbImage image, boolean[] mask) {
    double[] inner = new double[3];
    int innerCount = 0;
    double farthest = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (!mask[y * width + x]) {
          continue;
        }
        double[] px = colorAt(image, x, y);
        farthest = Math.max(farthest, distance(px, background));
        if (isInterior(mask, x, y)) {
          for (int c = 0; c < 3; c++) {
            inner[c] += px[c];
          }
          innerCount++;
        }
      }
    }
    if (innerCount >= MIN_INTERIOR) {
      return scaled(inner, 1.0 / innerCount);
    }
    double[] far = new double[3];
    int farCount = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double[] px = colorAt(image, x, y);
        if (mask[y * width + x] && distance(px, background) >= 0.95 * farthest) {
          for (int c = 0; c < 3; c++) {
            far[c] += px[c];
          }
          farCount++;
        }
      }
    }
    return scaled(far, 1.0 / Math.max(1, farCount));
  }

  private boolean isInterior(boolean[] mask, int x, int y) {
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int nx = x + dx;
        int ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height || !mask[ny * width + nx]) {
          return false;
        }
      }
    }
    return true;
  }

  private static double[] scaled(double[] v, double factor) {
    return new double[] {v[0] * factor, v[1] * factor, v[2] * factor};
  }

  private float[] unmix(RgbImage image, double[] bg, double[] fg) {
    double[] axis = {fg[0] - bg[0], fg[1] - bg[1], fg[2] - bg[2]};
    double norm2 = Math.max(1e-12, axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
    float[] a = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double[] px = colorAt(image, x, y);
        double dot = 0;
        for (int c = 0; c < 3; c++) {
          dot += (px[c] - bg[c]) * axis[c];
        }
        a[y * width + x] = (float) Math.min(1, Math.max(0, dot / norm2));
      }
    }
    return a;
  }

  private boolean[] largestComponent(float[] a) {
    int n = width * height;
    int[] label = new int[n];
    int bestLabel = 0;
    int bestSize = 0;
    int next = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int start = 0; start < n; start++) {
      if (a[start] < 0.5f || label[start] != 0) {
        continue;
      }
      next++;
      label[start] = next;
      queue.add(start);
      int size = 0;
      while (!queue.isEmpty()) {
        int i = queue.poll();
        size++;
        int x = i % width;
        int y = i / width;
        int[] neighbours = {x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1,
            y < height - 1 ? i + width : -1};
        for (int j : neighbours) {
          if (j >= 0 && label[j] == 0 && a[j] >= 0.5f) {
            label[j] = next;
            queue.add(j);
          }
        }
      }
      if (size > bestSize) {
        bestSize = size;
        bestLabel = next;
      }
    }
    boolean[] best = new boolean[n];
    for (int i = 0; i < n; i++) {
      best[i] = bestLabel != 0 && label[i] == bestLabel;
    }
    return best;
  }

  private static double[] boxMean(double[] v, int w, int h) {
    double[] out = new double[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        int k = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int nx = x + dx;
            int ny = y + dy;
            if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
              s += v[ny * w + nx];
              k++;
            }
          }
        }
        out[y * w + x] = s / k;
      }
    }
    return out;
  }

  private static double[] colorAt(RgbImage image, int x, int y) {
    return new double[] {finite(image.get(0, y, x)), finite(image.get(1, y, x)), finite(image.get(2, y, x))};
  }

  /** A pixel value made safe for measurement: NaN becomes 0 and everything is clipped to [0, 1]. */
  static double finite(float v) {
    return Float.isNaN(v) ? 0 : Math.min(1, Math.max(0, v));
  }
}
