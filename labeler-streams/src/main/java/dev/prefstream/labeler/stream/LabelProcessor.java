package dev.prefstream.labeler.stream;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.PseudoLabel;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.avro.ScorerScore;
import dev.prefstream.labeler.LabelerConfig;
import dev.prefstream.labeler.LabelerMetrics;
import dev.prefstream.labeler.errors.LabelerDeadLetters;
import dev.prefstream.labeler.state.PairState;
import dev.prefstream.labeler.state.Pseudo;
import dev.prefstream.labeler.stream.Emission.Destination;
import dev.prefstream.labeler.voting.ReliabilityCounts;
import dev.prefstream.labeler.voting.Sha256;
import dev.prefstream.schemas.AvroSerde;
import dev.prefstream.schemas.PairIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The labelling task's processor, for both of its inputs: scored votes and pseudo-labels. Its state:
 *
 * <ul>
 *   <li>{@code pair-tally}: each pair's {@link PairState};
 *   <li>{@code pending-pseudo-labels}: pseudo-labels that arrived before any vote of their pair. The
 *       labeler does not make the task wait for the other input ({@code max.task.idle.ms = -1}), so
 *       on a reprocessing run a pseudo-label may overtake its pair's votes; it is kept, as the dead
 *       letter it becomes ({@code unknown-pair}) if no vote comes within
 *       {@code labeler.pseudo-label-wait}, and applied after the pair's first vote. One too large
 *       for a whole dead letter cannot be held: it is that dead letter at once;
 *   <li>the scorers' {@link ReliabilityCounts}, in memory, summed from the pair states when the task
 *       starts.
 * </ul>
 *
 * Values are decoded here, not by the sources' deserializers, so a refused record keeps its exact raw
 * bytes in its dead letter. Refusals: undecodable bytes ({@code undeserializable}), a key that is not
 * the record's pair id ({@code bad-pair-id}), a configured scorer missing ({@code missing-score}) or
 * a NaN or infinite score ({@code nan-score}); a refused vote counts for nothing.
 */
public final class LabelProcessor implements Processor<String, byte[], String, Emission> {
  private static final AvroSerde<ScoredPair> SCORED = AvroSerde.of(ScoredPair.class);
  private static final AvroSerde<PseudoLabel> PSEUDO = AvroSerde.of(PseudoLabel.class);

  private final LabelerConfig config;
  private final String pseudoLabelTopic;
  private final LabelerMetrics metrics;
  private final LabelerDeadLetters deadLetters;
  private ProcessorContext<String, Emission> context;
  private KeyValueStore<String, PairState> pairs;
  private KeyValueStore<String, DeadLetter> pending;
  private long pendingCount;
  private PairLabeling labeling;
  private String task;

  public LabelProcessor(LabelerConfig config, String pseudoLabelTopic, LabelerMetrics metrics,
      LabelerDeadLetters deadLetters) {
    this.config = config;
    this.pseudoLabelTopic = pseudoLabelTopic;
    this.metrics = metrics;
    this.deadLetters = deadLetters;
  }

  @Override
  public void init(ProcessorContext<String, Emission> context) {
    this.context = context;
    this.task = context.taskId().toString();
    this.pairs = context.getStateStore(LabelerStores.PAIRS);
    this.pending = context.getStateStore(LabelerStores.PENDING_PSEUDO_LABELS);
    ReliabilityCounts counts = new ReliabilityCounts();
    try (KeyValueIterator<String, PairState> all = pairs.all()) {
      all.forEachRemaining(kv -> counts.add(kv.value.countedHuman(), kv.value.countedSides()));
    }
    counts.snapshot().forEach((scorer, r) -> metrics.reliability(task, scorer, r));
    this.labeling = new PairLabeling(config, metrics, counts, task);
    try (KeyValueIterator<String, DeadLetter> all = pending.all()) {
      all.forEachRemaining(kv -> pendingCount++);
    }
    Duration every = config.pseudoLabelWait().dividedBy(2).compareTo(Duration.ofMinutes(1)) < 0
        ? config.pseudoLabelWait().dividedBy(2) : Duration.ofMinutes(1);
    context.schedule(every.isZero() ? Duration.ofMillis(1) : every, PunctuationType.WALL_CLOCK_TIME,
        this::expirePending);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (pseudoLabelTopic.equals(context.recordMetadata().orElseThrow().topic())) {
      pseudoLabel(record);
    } else {
      vote(record);
    }
  }

  @Override
  public void close() {
    metrics.taskClosed(task);
  }

  /** Tallies a scored vote into its pair's state and re-decides the pair. */
  private void vote(Record<String, byte[]> record) {
    ScoredPair scored = decodeOrRefuse(SCORED, record);
    if (scored == null) {
      return;
    }
    PreferenceVote vote = scored.getVote();
    String pairId = record.key();
    String shaA = vote.getImageA().getSha256();
    String shaB = vote.getImageB().getSha256();
    PairState state = pairId == null ? null : pairs.get(pairId);
    // a stored pair was checked when it was created: a vote with its prompt and digests has its id
    boolean known = state != null && pairId.equals(vote.getPairId()) && state.isPairOf(vote.getPrompt(), shaA, shaB);
    if (!known) {
      String expected = Sha256.pairId(vote.getPrompt(), shaA, shaB);
      if (!expected.equals(vote.getPairId()) || !expected.equals(pairId)) {
        refuse(record, "bad-pair-id", "key " + pairId + " and vote pairId " + vote.getPairId()
            + " must both be the pair's id " + expected);
        return;
      }
    }
    List<ScorerScore> scores = new ArrayList<>(scored.getScores().size());
    String problem = select(scored.getScores(), scores);
    if (problem != null) {
      refuse(record, problem.startsWith("missing") ? "missing-score" : "nan-score", problem);
      return;
    }
    metrics.voteIn();
    // canonical orientation (image A has the smaller digest) without copying the vote
    boolean swap = shaA.compareTo(shaB) > 0;
    if (swap) {
      scores.replaceAll(s -> new ScorerScore(s.getScorer(), s.getVersion(), s.getScoreB(), s.getScoreA()));
    }
    long ts = vote.getTimestamp().toEpochMilli();
    boolean isNew = state == null;
    if (isNew) {
      state = swap ? PairState.first(vote.getPrompt(), vote.getImageB(), vote.getImageA(), ts)
          : PairState.first(vote.getPrompt(), vote.getImageA(), vote.getImageB(), ts);
    }
    state.apply(vote.getUserId(), vote.getVoteId(), swap ? PairIds.mirror(vote.getChoice()) : vote.getChoice(), ts);
    state.scores(List.copyOf(scores));
    update(record, pairId, state, ts);
    if (isNew && pendingCount > 0) {
      DeadLetter held = pending.delete(pairId);
      if (held != null) {
        pendingCount--;
        apply(record, pairId, state, PSEUDO.decode(Utils.toArray(held.getValue())));
      }
    }
  }

  /**
   * Joins a pseudo-label to its pair. One from a later model version supersedes the pair's earlier
   * one; one from the same or an older version (late or re-sent) is ignored.
   */
  private void pseudoLabel(Record<String, byte[]> record) {
    PseudoLabel label = decodeOrRefuse(PSEUDO, record);
    if (label == null) {
      return;
    }
    String pairId = record.key();
    if (!label.getPairId().equals(pairId)) {
      refuse(record, "bad-pair-id", "key " + pairId + " is not the pseudo-label's pairId " + label.getPairId());
      return;
    }
    PairState state = pairs.get(pairId);
    if (state != null) {
      apply(record, pairId, state, label);
      return;
    }
    DeadLetter held = pending.get(pairId);
    if (held != null && PSEUDO.decode(Utils.toArray(held.getValue())).getModelVersion() >= label.getModelVersion()) {
      return;
    }
    DeadLetter letter = deadLetters.held(context.recordMetadata().orElseThrow(), record, "unknown-pair",
        "no votes seen for pair " + pairId);
    if (letter.getTruncated()) {
      // a dead letter keeps a bounded prefix: this one could not give the pseudo-label back later
      if (held != null) {
        pending.delete(pairId); // superseded, as by a later version that is held
        pendingCount--;
      }
      refuse(record, "unknown-pair", "no votes seen for pair " + pairId + ", and a pseudo-label of "
          + letter.getValueSize() + " bytes is too large to wait for them");
      return;
    }
    letter.setFailedAt(Instant.ofEpochMilli(context.currentSystemTimeMs())); // held since: the wait starts now
    pending.put(pairId, letter);
    pendingCount += held == null ? 1 : 0;
  }

  private void apply(Record<String, byte[]> record, String pairId, PairState state, PseudoLabel label) {
    Pseudo current = state.pseudo();
    if (current != null && label.getModelVersion() <= current.version()) {
      return;
    }
    state.pseudo(new Pseudo(label.getModelName(), label.getModelVersion(), state.decision().human(),
        List.copyOf(label.getAnchors())));
    update(record, pairId, state, -1);
  }

  /** Dead-letters the pending pseudo-labels that waited longer than {@code labeler.pseudo-label-wait}. */
  private void expirePending(long now) {
    if (pendingCount == 0) {
      return;
    }
    long cutoff = now - config.pseudoLabelWait().toMillis();
    List<KeyValue<String, DeadLetter>> expired = new ArrayList<>();
    try (KeyValueIterator<String, DeadLetter> all = pending.all()) {
      all.forEachRemaining(kv -> {
        if (kv.value.getFailedAt().toEpochMilli() <= cutoff) {
          expired.add(kv);
        }
      });
    }
    for (KeyValue<String, DeadLetter> kv : expired) {
      pending.delete(kv.key);
      pendingCount--;
      DeadLetter letter = deadLetters.expired(kv.value, "no votes seen for pair " + kv.key + " within "
          + config.pseudoLabelWait(), Instant.ofEpochMilli(now));
      context.forward(new Record<>(kv.key, new Emission(Destination.DLQ, letter), now));
    }
  }

  /** Re-decides the pair, forwards what changed and stores the state. */
  private void update(Record<String, byte[]> record, String pairId, PairState state, long voteTimestamp) {
    labeling.update(pairId, state, voteTimestamp, e -> context.forward(record.withValue(e)));
    pairs.put(pairId, state);
  }

  /** The decoded value, or null after refusing the record as {@code undeserializable}. */
  private <V extends SpecificRecord> V decodeOrRefuse(AvroSerde<V> serde, Record<String, byte[]> record) {
    try {
      return serde.decode(record.value());
    } catch (SerializationException | NullPointerException e) {
      refuse(record, "undeserializable", record.value() == null ? "null value" : e.getMessage());
      return null;
    }
  }

  /** Sends the record's raw bytes to the dead-letter topic with the reason; it counts for nothing. */
  private void refuse(Record<String, byte[]> record, String reason, String error) {
    RecordMetadata md = context.recordMetadata().orElseThrow();
    context.forward(record.withValue(new Emission(Destination.DLQ, deadLetters.labeler(md, record, reason, error))));
  }

  /** Fills {@code out} with the scores that vote; returns what is wrong with them, or null. */
  private String select(List<ScorerScore> all, List<ScorerScore> out) {
    if (config.scorers().isEmpty()) {
      out.addAll(all);
    } else {
      for (String name : config.scorers()) {
        ScorerScore found = null;
        for (ScorerScore s : all) {
          if (s.getScorer().equals(name)) {
            found = s;
            break;
          }
        }
        if (found == null) {
          return "missing score of configured scorer '" + name + "' (record has "
              + all.stream().map(ScorerScore::getScorer).toList() + ")";
        }
        out.add(found);
      }
    }
    for (ScorerScore s : out) {
      if (!Double.isFinite(s.getScoreA()) || !Double.isFinite(s.getScoreB())) {
        return "scorer '" + s.getScorer() + "' " + s.getVersion() + " gave non-finite scores A=" + s.getScoreA()
            + " B=" + s.getScoreB();
      }
    }
    return null;
  }
}
