package dev.prefstream.labeler.voting;

/**
 * A scorer's tie tolerance (METHOD.md section 2): the scorer abstains when |scoreA - scoreB| is at
 * most {@code absolute + relative * max(|scoreA|, |scoreB|)}, so a tolerance can follow the scorer's
 * scale.
 */
public record Tolerance(double absolute, double relative) {
  public Tolerance {
    if (!(absolute >= 0) || !(relative >= 0) || Double.isInfinite(absolute) || Double.isInfinite(relative)) {
      throw new IllegalArgumentException("tolerances must be finite and non-negative: " + absolute + ", " + relative);
    }
  }

  /** The absolute tolerance for this pair of scores. */
  public double at(double scoreA, double scoreB) {
    return relative == 0 ? absolute : absolute + relative * Math.max(Math.abs(scoreA), Math.abs(scoreB));
  }
}
