package dev.prefstream.sim.world;

/**
 * Non-negative weights over the three {@link Dimensions} that sum to one: a voter's taste, or the
 * oracle's mix for its overall score.
 *
 * @param alignment weight of prompt alignment
 * @param aesthetics weight of aesthetics
 * @param detail weight of detail
 */
public record DimensionWeights(double alignment, double aesthetics, double detail) {

  /** Equal weights, the oracle's default. */
  public static final DimensionWeights EQUAL = new DimensionWeights(1.0 / 3, 1.0 / 3, 1.0 / 3);

  public DimensionWeights {
    if (!(alignment >= 0 && aesthetics >= 0 && detail >= 0)) {
      throw new IllegalArgumentException("weights must be >= 0: " + alignment + ", " + aesthetics + ", " + detail);
    }
    if (Math.abs(alignment + aesthetics + detail - 1) > 1e-9) {
      throw new IllegalArgumentException(
          "weights must sum to 1: " + alignment + " + " + aesthetics + " + " + detail);
    }
  }

  /** The given weights divided by their sum; {@link IllegalArgumentException} unless the sum is positive and finite. */
  public static DimensionWeights normalized(double alignment, double aesthetics, double detail) {
    double sum = alignment + aesthetics + detail;
    if (!(sum > 0) || Double.isInfinite(sum)) {
      throw new IllegalArgumentException("weights must have a positive finite sum: " + sum);
    }
    return new DimensionWeights(alignment / sum, aesthetics / sum, detail / sum);
  }

  /** The weighted sum {@code w . d}, in [0, 1]. */
  public double dot(Dimensions d) {
    return alignment * d.alignment() + aesthetics * d.aesthetics() + detail * d.detail();
  }
}
