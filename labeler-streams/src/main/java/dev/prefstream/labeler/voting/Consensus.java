package dev.prefstream.labeler.voting;

import dev.prefstream.avro.Side;

/**
 * A policy's verdict on a pair whose human label is A or B.
 *
 * @param label the policy's consensus side ({@code PairLabel.majorityLabel}); ABSTAIN when the
 *     policy names no side (a broken unanimity with split scorers)
 * @param clean whether the pair is clean (the consensus agrees with the human label)
 * @param decidedBy the rule that decided, written to {@code PairLabel.decidedBy}
 */
public record Consensus(Side label, boolean clean, String decidedBy) {}
