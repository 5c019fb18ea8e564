package dev.prefstream.labeler.errors;

import dev.prefstream.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds {@link DeadLetter}s with full provenance. */
public final class DeadLetters {
  /** Stage name of the JSON ingest. */
  public static final String STAGE_INGEST = "ingest";
  /** Stage name of the labeler proper. */
  public static final String STAGE_LABELER = "labeler";

  private DeadLetters() {}

  public static DeadLetter of(String topic, int partition, long offset, String stage, String reason, String error,
      byte[] key, byte[] value, long recordTimestamp) {
    return DeadLetter.newBuilder()
        .setSourceTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setStage(stage)
        .setReason(reason)
        .setError(error == null ? reason : error)
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .setRecordTimestamp(recordTimestamp)
        .setFailedAt(Instant.now())
        .build();
  }

  /** The message of an exception and its causes, for {@code DeadLetter.error}. */
  public static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 2000; t = t.getCause()) {
      if (sb.length() > 0) {
        sb.append(" <- ");
      }
      sb.append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        sb.append(": ").append(t.getMessage());
      }
    }
    return sb.toString();
  }
}
