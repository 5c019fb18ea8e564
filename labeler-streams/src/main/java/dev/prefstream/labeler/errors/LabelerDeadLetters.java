package dev.prefstream.labeler.errors;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.core.kafka.DeadLetters;
import dev.prefstream.labeler.LabelerMetrics;
import dev.prefstream.schemas.AvroSerde;
import dev.prefstream.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The labeler's dead letters, built with core's {@link DeadLetters} (full provenance, bounded key and
 * value, the {@code prefstream.dlq.records} counter) and counted again as
 * {@code prefstream.labeler.dead.letters}. Processors send theirs through the topology's dead-letter
 * sink; the exception handlers return theirs to Kafka Streams as encoded records.
 */
public final class LabelerDeadLetters {
  /** Stage of the JSON ingest. */
  public static final String STAGE_INGEST = "ingest";
  /** Stage of the labeler proper and of the exception handlers. */
  public static final String STAGE_LABELER = "labeler";
  /** The Streams config key under which the handlers find this object. */
  public static final String CONFIG_KEY = "prefstream.labeler.dead-letters";

  private final DeadLetters ingest;
  private final DeadLetters labeler;
  private final LabelerMetrics metrics;
  private final AvroSerde<DeadLetter> serde = AvroSerde.of(DeadLetter.class);

  public LabelerDeadLetters(Topic<byte[], DeadLetter> topic, LabelerMetrics metrics) {
    this.ingest = new DeadLetters(topic, STAGE_INGEST, metrics.registry());
    this.labeler = new DeadLetters(topic, STAGE_LABELER, metrics.registry());
    this.metrics = metrics;
  }

  public String topic() {
    return labeler.topic().name();
  }

  /** A dead letter of the ingest stage for the record being processed. */
  public DeadLetter ingest(RecordMetadata md, Record<byte[], byte[]> record, String reason, String error) {
    metrics.deadLetter(reason);
    return ingest.of(md.topic(), md.partition(), md.offset(), record.timestamp(), record.key(), record.value(),
        reason, error).value();
  }

  /** A dead letter of the labeler stage for a String-keyed record being processed. */
  public DeadLetter labeler(RecordMetadata md, Record<String, byte[]> record, String reason, String error) {
    metrics.deadLetter(reason);
    byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
    return labeler.of(md.topic(), md.partition(), md.offset(), record.timestamp(), key, record.value(), reason,
        error).value();
  }

  /**
   * The dead letter the record being processed becomes if what it waits for does not come: not
   * counted until {@link #expired}.
   */
  public DeadLetter held(RecordMetadata md, Record<String, byte[]> record, String reason, String error) {
    byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
    return labeler.held(md.topic(), md.partition(), md.offset(), record.timestamp(), key, record.value(), reason,
        error);
  }

  /** A {@link #held} dead letter whose wait ended {@code at}, with why; counted now. */
  public DeadLetter expired(DeadLetter held, String error, Instant at) {
    DeadLetter letter = DeadLetter.newBuilder(held).setError(error).setFailedAt(at).build();
    metrics.deadLetter(letter.getReason());
    return labeler.release(letter).value();
  }

  /** An encoded dead letter for an exception handler, from the source record's raw bytes. */
  public ProducerRecord<byte[], byte[]> forHandler(ErrorHandlerContext context, String reason, Exception e) {
    metrics.deadLetter(reason);
    ProducerRecord<byte[], DeadLetter> r = labeler.of(context.topic(), context.partition(), context.offset(),
        context.timestamp(), context.sourceRawKey(), context.sourceRawValue(), reason, describe(e));
    return new ProducerRecord<>(r.topic(), r.key(), serde.encode(r.value()));
  }

  /**
   * Logs and counts ({@code prefstream.dlq.failed{stage=labeler}}) a dead letter Kafka Streams could
   * not write while it processed the record of {@code context}.
   */
  public void failed(ErrorHandlerContext context, Exception e) {
    labeler.failed(context.topic(), context.partition(), context.offset(), e);
  }

  /** The message of an exception and its causes. */
  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 2000; t = t.getCause()) {
      if (!sb.isEmpty()) {
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
