package dev.prefstream.labeler.voting;

import dev.prefstream.avro.HumanTally;
import dev.prefstream.avro.Route;
import dev.prefstream.avro.ScorerScore;
import dev.prefstream.avro.ScorerVote;
import dev.prefstream.avro.Side;
import dev.prefstream.labeler.LabelerConfig;
import dev.prefstream.labeler.LabelerConfig.LabelPolicy;
import dev.prefstream.labeler.state.Decision;
import dev.prefstream.labeler.state.PairState;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides one pair from its state: human label from the tally, scorer votes from the latest scores,
 * the configured policy's consensus, the route and the training label.
 *
 * <p>A pair stays PENDING (no route, no events) below the quorum of distinct voters and while its
 * human tally is tied: with no human winner there is no order to agree or disagree with, and a tie is
 * not noise a scorer can settle. TIE votes count towards the quorum but move neither side.
 */
public final class PairDecider {
  private final LabelerConfig config;
  private final VotingPolicy policy;

  public PairDecider(LabelerConfig config, VotingPolicy policy) {
    this.config = config;
    this.policy = policy;
  }

  public Verdict decide(String pairId, PairState state) {
    HumanTally tally = state.tally();
    Side human = humanLabel(tally);
    List<ScorerVote> votes = new ArrayList<>(state.scores().size());
    for (ScorerScore s : state.scores()) {
      votes.add(ScorerVoting.vote(s, config.tolerance(s.getScorer())));
    }
    double agreement = agreement(human, votes);
    if (tally.getUsers() < config.quorum()) {
      return new Verdict(tally, human, votes, Side.ABSTAIN, "below-quorum", Decision.PENDING, agreement, false);
    }
    if (human == Side.ABSTAIN) {
      return new Verdict(tally, human, votes, Side.ABSTAIN, "human-tie", Decision.PENDING, agreement, false);
    }
    Consensus c = policy.decide(human, votes);
    Route route = c.clean() ? Route.CLEAN : Route.CONFLICTING;
    Side training = config.labelPolicy() == LabelPolicy.MAJORITY && c.label() != Side.ABSTAIN ? c.label() : human;
    boolean holdout = c.clean() && Holdout.isHoldout(pairId, config.holdoutShare());
    return new Verdict(tally, human, votes, c.label(), c.decidedBy(), new Decision(route, human, c.label(), training),
        agreement, holdout);
  }

  /** The human label of a tally: the side with more distinct voters; ABSTAIN when tied. */
  public static Side humanLabel(HumanTally tally) {
    return tally.getVotesA() > tally.getVotesB() ? Side.A
        : tally.getVotesB() > tally.getVotesA() ? Side.B : Side.ABSTAIN;
  }

  private static double agreement(Side human, List<ScorerVote> votes) {
    if (human == Side.ABSTAIN) {
      return 0;
    }
    if (votes.isEmpty()) {
      return 1;
    }
    int agree = 0;
    for (ScorerVote v : votes) {
      agree += v.getSide() == human ? 1 : 0;
    }
    return agree / (double) votes.size();
  }
}
