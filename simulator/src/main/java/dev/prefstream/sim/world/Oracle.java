package dev.prefstream.sim.world;

import dev.prefstream.core.image.RgbImage;
import java.util.Objects;

/**
 * The ground truth of the built-in world: measures an image's {@link Dimensions} for a prompt from its
 * pixels alone, by segmenting it into one object on a flat background (never by comparing it with the
 * prompt's ideal render), so it judges any image, including a small diffusion model's smooth or noisy
 * output.
 *
 * <ul>
 *   <li><b>Alignment</b>: the mean of five checks, each a Gaussian of the error: the object's mean
 *       colour and the background's colour against the prompt's colours, the object's centroid against
 *       the prompt's position, its area against the prompt's size, and its moment signature (see
 *       {@code ShapeSignature}) against the prompt's shape.
 *   <li><b>Aesthetics</b>: the mean of flatness (how little high-frequency noise the regions away from
 *       the object's edge hold) and contrast (a saturating function of the RGB distance between object and
 *       background colours).
 *   <li><b>Detail</b>: edge sharpness: the object's edge transition width (opacity mass of the edge band
 *       over its gradient mass, in pixels) compared with that of an anti-aliased hard edge.
 * </ul>
 *
 * @param weights the mix of the dimensions in the {@link #overall(Dimensions) overall} score
 */
public record Oracle(DimensionWeights weights) {

  /** Colour error (RGB distance) at which a colour check falls to exp(-1/2). */
  static final double COLOR_TOLERANCE = 0.12;
  /** Centroid error (fraction of the image side) at which the position check falls to exp(-1/2). */
  static final double POSITION_TOLERANCE = 0.06;
  /** Error of log(area) at which the size check falls to exp(-1/2). */
  static final double SIZE_TOLERANCE = 0.25;
  /** Noise standard deviation at which flatness is one half. */
  static final double NOISE_SCALE = 0.03;
  /**
   * Contrast is {@code 1 - exp(-d / CONTRAST_SCALE)} for the RGB distance d between object and
   * background: it keeps rising up to black on white, so lowering any image's contrast costs it.
   */
  static final double CONTRAST_SCALE = 0.4;
  /** Edge width in pixels up to which detail is one; detail is this over the width beyond it. */
  static final double SHARP_EDGE_WIDTH = 0.9;

  public Oracle {
    Objects.requireNonNull(weights, "weights");
  }

  /** An oracle whose overall score is the plain mean of the three dimensions. */
  public static Oracle equalWeights() {
    return new Oracle(DimensionWeights.EQUAL);
  }

  /** The dimensions of {@code image} as a rendering of {@code prompt}. */
  public Dimensions measure(Prompt prompt, RgbImage image) {
    return read(prompt, image).dimensions();
  }

  /** The weighted overall score of some dimensions, in [0, 1]. */
  public double overall(Dimensions dimensions) {
    return clamp(weights.dot(dimensions));
  }

  /** The dimensions of {@code image} as a rendering of {@code prompt}, with the parts behind them. */
  public OracleReading read(Prompt prompt, RgbImage image) {
    Segmentation seg = Segmentation.of(image);
    int[] dist = seg.boundaryDistance(4);
    OracleReading.AlignmentParts parts = alignment(prompt, seg, dist);
    double flatness = flatness(image, seg, dist);
    double contrast = seg.present
        ? 1 - Math.exp(-Segmentation.distance(seg.foreground, seg.background) / CONTRAST_SCALE)
        : 0;
    double edgeWidth = seg.present ? edgeWidth(seg, dist) : Double.POSITIVE_INFINITY;
    double detail = edgeWidth <= SHARP_EDGE_WIDTH ? 1 : SHARP_EDGE_WIDTH / edgeWidth;
    Dimensions dims = new Dimensions(clamp(parts.mean()), clamp((flatness + contrast) / 2), clamp(detail));
    return new OracleReading(dims, overall(dims), parts, flatness, contrast, edgeWidth);
  }

  private static OracleReading.AlignmentParts alignment(Prompt prompt, Segmentation seg, int[] dist) {
    double background = gaussian(prompt.background().distanceTo(seg.background), COLOR_TOLERANCE);
    if (!seg.present) {
      return new OracleReading.AlignmentParts(0, background, 0, 0, 0);
    }
    int w = seg.width;
    int h = seg.height;
    double[] opacity = new double[w * h];
    double mass = 0;
    double mx = 0;
    double my = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (inRegion(seg, dist, i)) {
          opacity[i] = seg.alpha[i];
          mass += opacity[i];
          mx += opacity[i] * (x + 0.5);
          my += opacity[i] * (y + 0.5);
        }
      }
    }
    double objectColor = gaussian(prompt.color().distanceTo(seg.foreground), COLOR_TOLERANCE);
    double dx = mx / mass / w - prompt.position().x();
    double dy = my / mass / h - prompt.position().y();
    double position = gaussian(Math.hypot(dx, dy), POSITION_TOLERANCE);
    double side = prompt.size().radius() * Math.min(w, h);
    double expectedArea = prompt.shape().area() * side * side;
    double size = gaussian(Math.log(mass / expectedArea), SIZE_TOLERANCE);
    double[] signature = ShapeSignature.of(opacity, w, h);
    double shape = gaussian(ShapeSignature.distance(signature, prompt.shape().signature()), 1);
    return new OracleReading.AlignmentParts(objectColor, background, shape, position, size);
  }

  /**
   * One over one plus the squared ratio of the noise level to {@link #NOISE_SCALE}. The noise level is
   * the RMS of each value minus its 3x3 mean (scaled to a standard deviation) over pixels at least
   * three pixels from the object's edge, or over the whole image when there are none.
   */
  private static double flatness(RgbImage image, Segmentation seg, int[] dist) {
    int w = seg.width;
    int h = seg.height;
    double sum = 0;
    long count = 0;
    for (int pass = 0; pass < 2 && count == 0; pass++) {
      for (int y = 1; y < h - 1; y++) {
        for (int x = 1; x < w - 1; x++) {
          if (pass == 1 || dist[y * w + x] >= 3) {
            for (int c = 0; c < 3; c++) {
              double r = value(image, c, y, x) - boxMean(image, c, y, x);
              sum += r * r;
              count++;
            }
          }
        }
      }
    }
    if (count == 0) {
      return 1;
    }
    double noise = Math.sqrt(sum / count * 9 / 8);
    return 1 / (1 + (noise / NOISE_SCALE) * (noise / NOISE_SCALE));
  }

  /**
   * Within three pixels of the object's boundary: the sum of 4 alpha (1 - alpha) (how much of the band
   * is in transition) over the sum of the alpha gradient magnitude (how long the edge is). An
   * anti-aliased hard edge gives about two thirds of a pixel; blur widens it.
   */
  private static double edgeWidth(Segmentation seg, int[] dist) {
    int w = seg.width;
    int h = seg.height;
    float[] a = seg.alpha;
    double transition = 0;
    double gradient = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (dist[i] > 3) {
          continue;
        }
        transition += 4 * a[i] * (1 - a[i]);
        double gx = (a[y * w + Math.min(w - 1, x + 1)] - a[y * w + Math.max(0, x - 1)]) / 2.0;
        double gy = (a[Math.min(h - 1, y + 1) * w + x] - a[Math.max(0, y - 1) * w + x]) / 2.0;
        gradient += Math.hypot(gx, gy);
      }
    }
    return gradient > 0 ? transition / gradient : 0;
  }

  /** The object plus the pixels touching it, where its anti-aliased edge lies. */
  private static boolean inRegion(Segmentation seg, int[] dist, int i) {
    return seg.object[i] || dist[i] <= 1;
  }

  private static double boxMean(RgbImage image, int c, int y, int x) {
    double s = 0;
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        s += value(image, c, y + dy, x + dx);
      }
    }
    return s / 9;
  }

  private static double value(RgbImage image, int c, int y, int x) {
    return Segmentation.finite(image.get(c, y, x));
  }

  private static double gaussian(double error, double tolerance) {
    return Double.isFinite(error) ? Math.exp(-error * error / (2 * tolerance * tolerance)) : 0;
  }

  private static double clamp(double v) {
    return Double.isNaN(v) ? 0 : Math.min(1, Math.max(0, v));
  }
}
