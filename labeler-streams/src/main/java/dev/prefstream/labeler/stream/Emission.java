package dev.prefstream.labeler.stream;

import org.apache.avro.specific.SpecificRecord;

/**
 * One output of a labeler processor on its way to a sink: where it goes and the value, null for a
 * tombstone on a compacted topic. Lives only inside a sub-topology, never serialized.
 */
public record Emission(Destination destination, SpecificRecord value) {
  /** The sinks a processor can address. */
  public enum Destination { VOTES, LABELS, CLEAN, CONFLICTING, RELABELED, DLQ }
}
