package dev.prefstream.labeler.voting;

import dev.prefstream.avro.ScorerVote;
import dev.prefstream.avro.Side;
import java.util.List;

/**
 * BalancedDPO's majority: the scorers and the human label each cast one vote (abstentions cast
 * none); the side with more votes is the consensus, a tie goes to the human label. Clean when the
 * consensus is the human label.
 */
public final class MajorityPolicy implements VotingPolicy {
  @Override
  public Consensus decide(Side human, List<ScorerVote> votes) {
    int margin = human == Side.A ? 1 : -1;
    for (ScorerVote v : votes) {
      margin += v.getSide() == Side.A ? 1 : v.getSide() == Side.B ? -1 : 0;
    }
    if (margin == 0) {
      return new Consensus(human, true, "tie-to-human");
    }
    Side label = margin > 0 ? Side.A : Side.B;
    return new Consensus(label, label == human, "majority");
  }

  @Override
  public PolicyName name() {
    return PolicyName.MAJORITY;
  }
}
