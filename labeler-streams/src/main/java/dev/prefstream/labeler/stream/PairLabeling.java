package dev.prefstream.labeler.stream;

import dev.prefstream.avro.Route;
import dev.prefstream.avro.ScorerVote;
import dev.prefstream.avro.Side;
import dev.prefstream.labeler.LabelerConfig;
import dev.prefstream.labeler.LabelerMetrics;
import dev.prefstream.labeler.state.Decision;
import dev.prefstream.labeler.state.PairState;
import dev.prefstream.labeler.state.Pseudo;
import dev.prefstream.labeler.stream.Emission.Destination;
import dev.prefstream.labeler.voting.PairDecider;
import dev.prefstream.labeler.voting.ReliabilityCounts;
import dev.prefstream.labeler.voting.ReliabilityWeights;
import dev.prefstream.labeler.voting.Verdict;
import dev.prefstream.labeler.voting.VotingPolicy;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Re-decides a pair after a vote or a pseudo-label changed its state, and emits what changed:
 *
 * <ul>
 *   <li>a {@code PairLabel}, a routed {@code LabeledPair} and, when the pair leaves a route, a
 *       tombstone on that route's compacted topic, only when the {@link Decision} changes;
 *   <li>a relabeled pair (or its tombstone) when the applicable pseudo-label version changes;
 *   <li>this pair's contribution to the per-scorer reliability counts, replaced on every change.
 * </ul>
 */
final class PairLabeling {
  private final LabelerMetrics metrics;
  private final LabelRecords records;
  private final PairDecider decider;
  private final ReliabilityCounts reliability;
  private final String task;

  PairLabeling(LabelerConfig config, LabelerMetrics metrics, ReliabilityCounts reliability, String task) {
    this.metrics = metrics;
    this.records = new LabelRecords(config);
    this.reliability = reliability;
    this.task = task;
    ReliabilityWeights weights = new ReliabilityWeights() {
      @Override
      public double weight(String scorer) {
        return reliability.of(scorer).weight(config.minObservations());
      }

      @Override
      public double humanWeight() {
        return config.humanWeight();
      }
    };
    this.decider = new PairDecider(config, VotingPolicy.of(config.policy(), weights));
  }

  /**
   * Re-decides {@code state} and forwards the resulting events.
   *
   * @param voteTimestamp the triggering vote's timestamp for the latency metric, or -1
   */
  void update(String pairId, PairState state, long voteTimestamp, Consumer<Emission> out) {
    Verdict v = decider.decide(pairId, state);
    count(state, v);
    Instant now = Instant.now();
    Decision prev = state.decision();
    Decision next = v.decision();
    boolean decisionChanged = !next.equals(prev);
    if (decisionChanged) {
      if (prev.route() != next.route() && prev.route() != Route.PENDING) {
        out.accept(new Emission(destination(prev.route()), null));
      }
      if (next.route() != Route.PENDING) {
        out.accept(new Emission(destination(next.route()), records.routed(pairId, state, v, now)));
      }
      state.decision(next);
      if (voteTimestamp >= 0) {
        metrics.decided(next.route(), now.toEpochMilli() - voteTimestamp);
      }
    }
    Pseudo p = state.pseudo();
    int relabel = next.route() == Route.CONFLICTING && p != null && p.confident() && p.humanOrder() == next.human()
        ? p.version() : -1;
    boolean relabelChanged = relabel != state.relabeledVersion();
    if (relabelChanged) {
      state.relabeledVersion(relabel);
      out.accept(new Emission(Destination.RELABELED, relabel < 0 ? null : records.relabeled(pairId, state, v, now)));
      if (relabel >= 0) {
        metrics.relabeled();
      }
    }
    if (decisionChanged || relabelChanged) {
      out.accept(new Emission(Destination.LABELS, records.pairLabel(pairId, state, v, now)));
    }
  }

  private static Destination destination(Route route) {
    return route == Route.CLEAN ? Destination.CLEAN : Destination.CONFLICTING;
  }

  /** Replaces this pair's contribution to the reliability counts when its human label or votes changed. */
  private void count(PairState state, Verdict v) {
    Side human = v.decision().route() == Route.PENDING ? Side.ABSTAIN : v.human();
    Map<String, Side> sides = new HashMap<>();
    if (human != Side.ABSTAIN) {
      for (ScorerVote sv : v.votes()) {
        sides.put(sv.getScorer(), sv.getSide());
      }
    }
    if (human == state.countedHuman() && sides.equals(state.countedSides())) {
      return;
    }
    reliability.replace(state.countedHuman(), state.countedSides(), human, sides,
        (scorer, r) -> metrics.reliability(task, scorer, r));
    state.counted(human, sides);
  }
}
