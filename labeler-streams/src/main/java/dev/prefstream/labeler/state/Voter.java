package dev.prefstream.labeler.state;

import dev.prefstream.avro.Choice;

/** One voter's current vote on a pair, in canonical orientation. */
public record Voter(String voteId, Choice choice, long timestamp) {}
