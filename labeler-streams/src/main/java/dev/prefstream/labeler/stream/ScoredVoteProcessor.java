package dev.prefstream.labeler.stream;

import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.avro.ScorerScore;
import dev.prefstream.labeler.LabelerConfig;
import dev.prefstream.labeler.LabelerMetrics;
import dev.prefstream.labeler.errors.LabelerDeadLetters;
import dev.prefstream.labeler.state.PairState;
import dev.prefstream.labeler.voting.Sha256;
import dev.prefstream.schemas.AvroSerde;
import dev.prefstream.schemas.PairIds;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Tallies each scored vote into its pair's state and re-decides the pair. Refused records, raw bytes
 * kept in the dead letter: undecodable bytes ({@code undeserializable}), a key that is not the vote's pair id
 * ({@code bad-pair-id}), a configured scorer missing ({@code missing-score}) or a NaN or infinite
 * score ({@code nan-score}). A refused record does not count as a vote.
 */
public final class ScoredVoteProcessor extends PairProcessor<ScoredPair> {
  public ScoredVoteProcessor(LabelerConfig config, LabelerMetrics metrics, LabelerDeadLetters deadLetters) {
    super(config, metrics, deadLetters, AvroSerde.of(ScoredPair.class));
  }

  @Override
  public void process(Record<String, byte[]> record) {
    ScoredPair scored = decodeOrRefuse(record);
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
    if (state == null) {
      state = swap ? PairState.first(vote.getPrompt(), vote.getImageB(), vote.getImageA(), ts)
          : PairState.first(vote.getPrompt(), vote.getImageA(), vote.getImageB(), ts);
    }
    state.apply(vote.getUserId(), vote.getVoteId(), swap ? PairIds.mirror(vote.getChoice()) : vote.getChoice(), ts);
    state.scores(List.copyOf(scores));
    update(record, pairId, state, ts);
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
