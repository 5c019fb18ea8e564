package dev.prefstream.labeler.voting;

import dev.prefstream.avro.ScorerVote;
import dev.prefstream.avro.Side;
import java.util.List;

/** Decides a pair from its human label (A or B, never ABSTAIN) and its scorers' votes. */
public interface VotingPolicy {
  /**
   * The consensus. Implementations may set each vote's {@code weight} to the weight they used, so
   * that the label event records it.
   */
  Consensus decide(Side human, List<ScorerVote> votes);

  PolicyName name();

  /** The policy named in the config. */
  static VotingPolicy of(PolicyName name, ReliabilityWeights weights) {
    return switch (name) {
      case UNANIMOUS -> new UnanimousPolicy();
      case MAJORITY -> new MajorityPolicy();
      case WEIGHTED -> new WeightedPolicy(weights);
    };
  }
}
