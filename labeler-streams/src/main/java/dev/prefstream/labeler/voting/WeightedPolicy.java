package dev.prefstream.labeler.voting;

import dev.prefstream.avro.ScorerVote;
import dev.prefstream.avro.Side;
import java.util.List;

/**
 * A weighted majority: like {@link MajorityPolicy}, but each scorer's vote counts its reliability
 * weight (log-odds of its measured agreement with human labels, see {@link ReliabilityWeights}) and
 * the human label counts the configured human weight. A zero sum goes to the human label.
 */
public final class WeightedPolicy implements VotingPolicy {
  private final ReliabilityWeights weights;

  public WeightedPolicy(ReliabilityWeights weights) {
    this.weights = weights;
  }

  @Override
  public Consensus decide(Side human, List<ScorerVote> votes) {
    double sum = human == Side.A ? weights.humanWeight() : -weights.humanWeight();
    for (ScorerVote v : votes) {
      double w = weights.weight(v.getScorer());
      v.setWeight(w);
      sum += v.getSide() == Side.A ? w : v.getSide() == Side.B ? -w : 0;
    }
    if (sum == 0) {
      return new Consensus(human, true, "tie-to-human");
    }
    Side label = sum > 0 ? Side.A : Side.B;
    return new Consensus(label, label == human, "weighted");
  }

  @Override
  public PolicyName name() {
    return PolicyName.WEIGHTED;
  }
}
