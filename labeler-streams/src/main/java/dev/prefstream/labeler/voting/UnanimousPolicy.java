package dev.prefstream.labeler.voting;

import dev.prefstream.avro.ScorerVote;
import dev.prefstream.avro.Side;
import java.util.List;

/**
 * Semi-DPO's clean rule: clean when every scorer votes for the human winner; an abstention counts as
 * disagreement. The consensus is the human label when clean; otherwise the scorers' common side if
 * they all voted the same side against the human, else ABSTAIN.
 */
public final class UnanimousPolicy implements VotingPolicy {
  @Override
  public Consensus decide(Side human, List<ScorerVote> votes) {
    boolean all = votes.stream().allMatch(v -> v.getSide() == human);
    if (all) {
      return new Consensus(human, true, "unanimous");
    }
    Side first = votes.get(0).getSide();
    boolean same = first != Side.ABSTAIN && votes.stream().allMatch(v -> v.getSide() == first);
    return new Consensus(same ? first : Side.ABSTAIN, false, "dissent");
  }

  @Override
  public PolicyName name() {
    return PolicyName.UNANIMOUS;
  }
}
