package dev.prefstream.labeler.voting;

import dev.prefstream.avro.ScorerScore;
import dev.prefstream.avro.ScorerVote;
import dev.prefstream.avro.Side;

/** Turns one scorer's scores of a pair into its vote (METHOD.md section 2). */
public final class ScorerVoting {
  private ScorerVoting() {}

  /** A if scoreA - scoreB exceeds the tolerance, B if it is below minus the tolerance, else ABSTAIN. */
  public static Side side(double scoreA, double scoreB, Tolerance tolerance) {
    double tau = tolerance.at(scoreA, scoreB);
    double diff = scoreA - scoreB;
    if (diff > tau) {
      return Side.A;
    }
    return diff < -tau ? Side.B : Side.ABSTAIN;
  }

  /** The scorer's vote with its provenance; the weight is filled in by the policy. */
  public static ScorerVote vote(ScorerScore score, Tolerance tolerance) {
    double a = score.getScoreA();
    double b = score.getScoreB();
    return ScorerVote.newBuilder()
        .setScorer(score.getScorer())
        .setVersion(score.getVersion())
        .setScoreA(a)
        .setScoreB(b)
        .setTolerance(tolerance.at(a, b))
        .setSide(side(a, b, tolerance))
        .setWeight(1.0)
        .build();
  }
}
