package dev.prefstream.labeler.voting;

import dev.prefstream.avro.HumanTally;
import dev.prefstream.avro.ScorerVote;
import dev.prefstream.avro.Side;
import dev.prefstream.labeler.state.Decision;
import java.util.List;

/**
 * The full outcome of deciding a pair: the {@link Decision} that drives events, plus the audit
 * details written to {@code PairLabel}.
 *
 * @param agreement share of scorers voting for the human label (1.0 with no scorers, 0 when the
 *     human tally is tied)
 */
public record Verdict(HumanTally tally, Side human, List<ScorerVote> votes, Side consensus, String decidedBy,
    Decision decision, double agreement, boolean holdout) {}
