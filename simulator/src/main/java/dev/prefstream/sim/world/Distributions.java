package dev.prefstream.sim.world;

import java.util.random.RandomGenerator;

/** Seeded sampling and the logistic function, as the simulated voters need them. */
public final class Distributions {

  private Distributions() {}

  /** The logistic function 1 / (1 + e^-x), without overflow for large |x|. */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  /** A Gamma(shape, 1) draw (Marsaglia and Tsang; boosted for shape below one). */
  public static double gamma(RandomGenerator rng, double shape) {
    return Math.exp(logGamma(rng, shape));
  }

  /**
   * A draw from the Dirichlet distribution with concentrations {@code alpha}: non-negative values
   * summing to one. Computed from Gamma draws in log space, so tiny concentrations (near one-hot
   * draws) neither underflow nor divide by zero.
   */
  public static double[] dirichlet(RandomGenerator rng, double... alpha) {
    if (alpha.length == 0) {
      throw new IllegalArgumentException("Dirichlet needs at least one concentration");
    }
    double[] logs = new double[alpha.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < alpha.length; i++) {
      logs[i] = logGamma(rng, alpha[i]);
      max = Math.max(max, logs[i]);
    }
    double sum = 0;
    for (int i = 0; i < logs.length; i++) {
      logs[i] = Math.exp(logs[i] - max);
      sum += logs[i];
    }
    for (int i = 0; i < logs.length; i++) {
      logs[i] /= sum;
    }
    return logs;
  }

  /** The log of a Gamma(shape, 1) draw. */
  private static double logGamma(RandomGenerator rng, double shape) {
    if (!(shape > 0) || Double.isInfinite(shape)) {
      throw new IllegalArgumentException("Gamma shape must be positive and finite: " + shape);
    }
    if (shape < 1) {
      // Gamma(a) = Gamma(a + 1) * U^(1/a); U > 0 so the log is finite
      double u = 1 - rng.nextDouble();
      return logGamma(rng, shape + 1) + Math.log(u) / shape;
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = rng.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = 1 - rng.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return Math.log(d * v);
      }
    }
  }
}
