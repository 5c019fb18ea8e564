package dev.prefstream.core.kafka;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.schemas.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
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
 */
public final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final int MAX_ERROR_CHARS = 4000;

  private final Topic<byte[], DeadLetter> topic;
  private final String stage;
  private final MeterRegistry registry;

  public DeadLetters(Topic<byte[], DeadLetter> topic, String stage, MeterRegistry registry) {
    this.topic = topic;
    this.stage = stage;
    this.registry = registry;
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
   */
  public DeadLetter held(String sourceTopic, int partition, long offset, long timestamp, byte[] key, byte[] value,
      String reason, String error) {
    String message = error == null ? reason : error;
    if (message.length() > MAX_ERROR_CHARS) {
      message = message.substring(0, MAX_ERROR_CHARS) + "...";
    }
    return DeadLetter.newBuilder()
        .setSourceTopic(sourceTopic)
        .setPartition(partition)
        .setOffset(offset)
        .setStage(stage)
        .setReason(reason)
        .setError(message)
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .setRecordTimestamp(timestamp)
        .setFailedAt(Instant.now())
        .build();
  }

  /** Counts and logs a dead letter on its way to the dead-letter topic. */
  public ProducerRecord<byte[], DeadLetter> release(DeadLetter letter) {
    Counter.builder("prefstream.dlq.records").description("records sent to the dead-letter topic")
        .tag("stage", stage).tag("reason", letter.getReason()).register(registry).increment();
    LOG.warn("dead letter from {}-{}@{} stage={} reason={}: {}", letter.getSourceTopic(), letter.getPartition(),
        letter.getOffset(), stage, letter.getReason(), letter.getError());
    byte[] key = letter.getKey() == null ? null : Utils.toArray(letter.getKey());
    return new ProducerRecord<>(topic.name(), key, letter);
  }


  /** Sends a dead letter with a producer of the dead-letter topic's types. */
  public void send(Producer<byte[], DeadLetter> producer, ProducerRecord<byte[], DeadLetter> letter) {
    producer.send(letter, (md, e) -> {
      if (e != null) {
        LOG.error("could not write dead letter for {}: {}", letter.value().getSourceTopic(), e.toString());
      }
    });
  }
}
