package dev.prefstream.core.kafka;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.schemas.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds dead-letter records with full provenance (source topic, partition, offset, stage, reason,
 * error, raw key and value) and counts them as {@code prefstream.dlq.records{stage,reason}}. Stages
 * that send inside a transaction build the record here and send it with their own producer; others
 * call {@link #send}.
 *
 * <p>A dead letter must always be writable, whatever the record it stands for: this is the one place
 * that bounds it. It keeps the raw value up to {@link #MAX_VALUE_BYTES} and the raw key up to
 * {@link #MAX_KEY_BYTES} (a longer one is cut to that prefix and the letter marked truncated), with
 * the size and SHA-256 of the whole of each, and the error up to a few thousand characters: far below
 * the default 1 MiB request and message limits. A dead letter that could not be written anyway is
 * logged and counted ({@link #failed}), never turned into another dead letter.
 */
public final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  /** Bytes of a raw value a dead letter keeps: enough to see what the record was. */
  public static final int MAX_VALUE_BYTES = 64 * 1024;
  /** Bytes of a raw key a dead letter keeps; the kept key is also the dead letter's own key. */
  public static final int MAX_KEY_BYTES = 1024;
  private static final int MAX_ERROR_CHARS = 4000;

  private final Topic<byte[], DeadLetter> topic;
  private final String stage;
  private final MeterRegistry registry;
  private final Counter failed;

  public DeadLetters(Topic<byte[], DeadLetter> topic, String stage, MeterRegistry registry) {
    this.topic = topic;
    this.stage = stage;
    this.registry = registry;
    this.failed = Counter.builder("prefstream.dlq.failed").description("dead letters that could not be written")
        .tag("stage", stage).register(registry);
  }

  public Topic<byte[], DeadLetter> topic() {
    return topic;
  }

  /** A dead letter for a consumed record. */
  public ProducerRecord<byte[], DeadLetter> of(ConsumerRecord<byte[], byte[]> source, String reason, String error) {
    return of(source.topic(), source.partition(), source.offset(), source.timestamp(), source.key(), source.value(),
        reason, error);
  }

  public ProducerRecord<byte[], DeadLetter> of(String sourceTopic, int partition, long offset, long timestamp,
      byte[] key, byte[] value, String reason, String error) {
    return release(held(sourceTopic, partition, offset, timestamp, key, value, reason, error));
  }

  /**
   * A dead letter built now and sent later, or never: it is neither counted nor logged until
   * {@link #release}d. For a record a stage keeps while it waits for something that may not come.
   * Key and value are bounded here (see the class comment); {@code getTruncated()} says whether the
   * letter still holds all of them.
   */
  public DeadLetter held(String sourceTopic, int partition, long offset, long timestamp, byte[] key, byte[] value,
      String reason, String error) {
    String message = error == null ? reason : error;
    if (message.length() > MAX_ERROR_CHARS) {
      message = message.substring(0, MAX_ERROR_CHARS) + "...";
    }
    RawExcerpt k = RawExcerpt.of(key, MAX_KEY_BYTES);
    RawExcerpt v = RawExcerpt.of(value, MAX_VALUE_BYTES);
    return DeadLetter.newBuilder()
        .setSourceTopic(sourceTopic)
        .setPartition(partition)
        .setOffset(offset)
        .setStage(stage)
        .setReason(reason)
        .setError(message)
        .setKey(k.kept())
        .setKeySize(k.size())
        .setKeySha256(k.sha256())
        .setValue(v.kept())
        .setValueSize(v.size())
        .setValueSha256(v.sha256())
        .setTruncated(k.truncated() || v.truncated())
        .setRecordTimestamp(timestamp)
        .setFailedAt(Instant.now())
        .build();
  }

  /** Counts and logs a dead letter on its way to the dead-letter topic. */
  public ProducerRecord<byte[], DeadLetter> release(DeadLetter letter) {
    Counter.builder("prefstream.dlq.records").description("records sent to the dead-letter topic")
        .tag("stage", stage).tag("reason", letter.getReason()).register(registry).increment();
    LOG.warn("dead letter from {}-{}@{} stage={} reason={}{}: {}", letter.getSourceTopic(), letter.getPartition(),
        letter.getOffset(), stage, letter.getReason(),
        letter.getTruncated() ? " (cut from a key of " + letter.getKeySize() + " and a value of "
            + letter.getValueSize() + " bytes)" : "", letter.getError());
    byte[] key = letter.getKey() == null ? null : Utils.toArray(letter.getKey());
    return new ProducerRecord<>(topic.name(), key, letter);
  }

  /** Sends a dead letter with a producer of the dead-letter topic's types; a failed send is {@link #failed}. */
  public void send(Producer<byte[], DeadLetter> producer, ProducerRecord<byte[], DeadLetter> letter) {
    DeadLetter l = letter.value();
    producer.send(letter, (md, e) -> {
      if (e != null) {
        failed(l.getSourceTopic(), l.getPartition(), l.getOffset(), e);
      }
    });
  }

  /**
   * Logs and counts ({@code prefstream.dlq.failed{stage}}) the dead letter of a source record that
   * could not be written. Nothing more is sent for it: another dead letter for the same record would
   * fail the same way.
   */
  public void failed(String sourceTopic, int partition, long offset, Throwable e) {
    failed.increment();
    LOG.error("could not write the dead letter of {}-{}@{} stage={}; it is lost: {}", sourceTopic, partition,
        offset, stage, e.toString());
  }
}
