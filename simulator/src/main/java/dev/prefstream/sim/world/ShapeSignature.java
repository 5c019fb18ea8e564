package dev.prefstream.sim.world;

/**
 * A shape's signature: four moment features of its opacity, invariant to position and scale, that
 * tell the grammar's shapes apart even at a few pixels across (anti-aliased opacity keeps them
 * sub-pixel accurate). With m the mass, s the sum of the second central moments:
 *
 * <ol>
 *   <li>spread {@code s / m^2} (lowest for a disc);
 *   <li>axis kurtosis {@code (mu40 + mu04) m / s^2} (mass far out along the axes: diamond, cross);
 *   <li>diagonal mass {@code mu22 m / s^2} (mass in the corners: square);
 *   <li>vertical skew {@code mu03 sqrt(m) / s^1.5} (negative for an apex-up triangle).
 * </ol>
 */
final class ShapeSignature {

  /** The error in each feature that counts as one unit of {@link #distance}. */
  private static final double[] SCALES = {0.012, 0.06, 0.02, 0.05};

  private ShapeSignature() {}

  /**
   * The signature of a w x h grid of non-negative weights (opacity per sample). The even moments get
   * Sheppard's corrections for samples being cells of unit area, not points.
   */
  static double[] of(double[] weights, int w, int h) {
    double m = 0;
    double mx = 0;
    double my = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = weights[y * w + x];
        m += v;
        mx += v * x;
        my += v * y;
      }
    }
    if (!(m > 0)) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    }
    mx /= m;
    my /= m;
    double mu20 = 0;
    double mu02 = 0;
    double mu40 = 0;
    double mu04 = 0;
    double mu22 = 0;
    double mu03 = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = weights[y * w + x];
        double dx = x - mx;
        double dy = y - my;
        mu20 += v * dx * dx;
        mu02 += v * dy * dy;
        mu40 += v * dx * dx * dx * dx;
        mu04 += v * dy * dy * dy * dy;
        mu22 += v * dx * dx * dy * dy;
        mu03 += v * dy * dy * dy;
      }
    }
    // Sheppard's corrections: a sample is a unit cell, adding a uniform offset U with E[U^2] = 1/12
    // and E[U^4] = 1/80 to each coordinate; odd moments are unchanged.
    mu20 -= m / 12;
    mu02 -= m / 12;
    mu40 -= mu20 / 2 + m / 80;
    mu04 -= mu02 / 2 + m / 80;
    mu22 -= (mu20 + mu02) / 12 + m / 144;
    double s = Math.max(1e-12, mu20 + mu02);
    return new double[] {s / (m * m), (mu40 + mu04) * m / (s * s), mu22 * m / (s * s), mu03 * Math.sqrt(m) / Math.pow(s, 1.5)};
  }

  /**
   * Root mean square of the feature differences, each in units of its tolerance scale: about 1 or
   * less between a shape and its own small render, 1.5 or more between different shapes. Infinite
   * when either signature is undefined (no mass).
   */
  static double distance(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < SCALES.length; i++) {
      double d = (a[i] - b[i]) / SCALES[i];
      sum += d * d;
    }
    double rms = Math.sqrt(sum / SCALES.length);
    return Double.isNaN(rms) ? Double.POSITIVE_INFINITY : rms;
  }
}
