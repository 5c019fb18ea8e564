package dev.prefstream.labeler.stream;

import dev.prefstream.avro.LabelSource;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.PairLabel;
import dev.prefstream.avro.Route;
import dev.prefstream.labeler.LabelerConfig;
import dev.prefstream.labeler.LabelerConfig.LabelPolicy;
import dev.prefstream.labeler.state.PairState;
import dev.prefstream.labeler.state.Pseudo;
import dev.prefstream.labeler.voting.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builds the labeler's output records from a pair's state and verdict. */
final class LabelRecords {
  private final String policy;
  private final LabelSource routedSource;

  LabelRecords(LabelerConfig config) {
    this.policy = config.policy().label();
    this.routedSource = config.labelPolicy() == LabelPolicy.MAJORITY ? LabelSource.MAJORITY : LabelSource.HUMAN;
  }

  PairLabel pairLabel(String pairId, PairState s, Verdict v, Instant now) {
    return PairLabel.newBuilder()
        .setPairId(pairId)
        .setPrompt(s.prompt())
        .setImageA(s.imageA())
        .setImageB(s.imageB())
        .setTally(v.tally())
        .setHumanLabel(v.human())
        .setScorerVotes(v.votes())
        .setPolicy(policy)
        .setMajorityLabel(v.consensus())
        .setDecidedBy(v.decidedBy())
        .setRoute(v.decision().route())
        .setTrainingLabel(v.decision().training())
        .setAgreement(v.agreement())
        .setHoldout(v.holdout())
        .setPseudoModelVersion(s.relabeledVersion() < 0 ? null : s.relabeledVersion())
        .setVoteTimestamp(Instant.ofEpochMilli(s.lastVoteTimestamp()))
        .setDecidedAt(now)
        .build();
  }

  /** The pair on the clean or conflicting topic; the winner is the training label. */
  LabeledPair routed(String pairId, PairState s, Verdict v, Instant now) {
    return base(pairId, s, v, now)
        .setWinner(v.decision().training())
        .setSource(routedSource)
        .setHoldout(v.holdout())
        .build();
  }

  /**
   * A conflicting pair relabelled by a model version. The winner is the human label, the order the
   * anchors' signs are relative to; each anchor's sign keeps (+1) or swaps (-1) it in its band.
   */
  LabeledPair relabeled(String pairId, PairState s, Verdict v, Instant now) {
    Pseudo p = s.pseudo();
    return base(pairId, s, v, now)
        .setWinner(v.human())
        .setSource(LabelSource.PSEUDO)
        .setRoute(Route.CONFLICTING)
        .setHoldout(false)
        .setAnchors(List.copyOf(p.anchors()))
        .setModelVersion(p.version())
        .setAttributes(Map.of("modelName", p.modelName(), "anchorsRelativeTo", "humanLabel"))
        .build();
  }

  private static LabeledPair.Builder base(String pairId, PairState s, Verdict v, Instant now) {
    return LabeledPair.newBuilder()
        .setPairId(pairId)
        .setPrompt(s.prompt())
        .setImageA(s.imageA())
        .setImageB(s.imageB())
        .setHumanLabel(v.human())
        .setMajorityLabel(v.consensus())
        .setRoute(v.decision().route())
        .setAgreement(v.agreement())
        .setLabeledAt(now);
  }
}
