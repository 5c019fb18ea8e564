package dev.prefstream.labeler.voting;

import java.util.Locale;

/** The voting policies a deployment can run (one at a time). */
public enum PolicyName {
  /** Semi-DPO's clean rule: every scorer votes for the human winner. */
  UNANIMOUS,
  /** BalancedDPO: scorers plus the human label vote, a tie goes to the human. */
  MAJORITY,
  /** Like majority, each voter weighted by the log-odds of its measured agreement with humans. */
  WEIGHTED;

  public static PolicyName parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown voting policy '" + s + "' (unanimous | majority | weighted)", e);
    }
  }

  /** The lower-case name written in {@code PairLabel.policy}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
