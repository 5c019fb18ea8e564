package dev.prefstream.labeler.voting;

import dev.prefstream.schemas.PairIds;
import java.nio.charset.StandardCharsets;

/**
 * The deterministic hold-out draw (METHOD.md section 3): a pair is held out when a uniform number
 * derived from the SHA-256 of its id falls below the share, so every replica and every restart makes
 * the same choice.
 */
public final class Holdout {
  private Holdout() {}

  /** A number in [0, 1) fixed by the pair id: the first 52 bits of SHA-256("holdout:" + id). */
  public static double draw(String pairId) {
    String hex = PairIds.sha256Hex(("holdout:" + pairId).getBytes(StandardCharsets.UTF_8));
    return Long.parseLong(hex.substring(0, 13), 16) / (double) (1L << 52);
  }

  public static boolean isHoldout(String pairId, double share) {
    return share > 0 && draw(pairId) < share;
  }
}
