package dev.prefstream.labeler.voting;

/**
 * The deterministic hold-out draw (METHOD.md section 3): a pair is held out when a uniform number
 * derived from the SHA-256 of its id falls below the share, so every replica and every restart makes
 * the same choice.
 */
public final class Holdout {
  private Holdout() {}

  /** A number in [0, 1) fixed by the pair id: the first 52 bits of SHA-256("holdout:" + id). */
  public static double draw(String pairId) {
    return Sha256.first52Bits("holdout:" + pairId) / (double) (1L << 52);
  }

  public static boolean isHoldout(String pairId, double share) {
    return share > 0 && draw(pairId) < share;
  }
}
