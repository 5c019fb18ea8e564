package dev.prefstream.diffusion.train;

/**
 * The scalar Diffusion-DPO formulas of METHOD.md section 1, on per-image errors: m = policy error,
 * r = reference error, w = winner, l = loser.
 */
public final class DpoMath {
  private DpoMath() {}

  /** z = factor * beta * [(r_w - m_w) - (r_l - m_l)]. */
  public static double z(double mw, double ml, double rw, double rl, double beta,
      BetaConvention convention) {
    return convention.factor() * beta * ((rw - mw) - (rl - ml));
  }

  /** -log(sigmoid(z)), computed stably. */
  public static double pairLoss(double z) {
    return z >= 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
  }

  /** The batch loss: the mean over pairs of -log(sigmoid(z)) (the mean is outside the log-sigmoid). */
  public static double loss(double[] z) {
    double sum = 0;
    for (double v : z) {
      sum += pairLoss(v);
    }
    return sum / z.length;
  }

  /** Share of pairs with z > 0, ties counting one half. */
  public static double implicitAccuracy(double[] z) {
    double hits = 0;
    for (double v : z) {
      hits += v > 0 ? 1.0 : v == 0 ? 0.5 : 0.0;
    }
    return hits / z.length;
  }

  /** Mean z: the winner's implicit reward minus the loser's, averaged over pairs. */
  public static double rewardMargin(double[] z) {
    double sum = 0;
    for (double v : z) {
      sum += v;
    }
    return sum / z.length;
  }
}
