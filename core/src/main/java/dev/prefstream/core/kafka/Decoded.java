package dev.prefstream.core.kafka;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.schemas.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A raw record decoded with its topic's serdes: either the value, or the dead letter to send in its
 * place. Consumers read bytes and decode with this, so one undecodable record becomes a dead letter
 * and the loop goes on.
 */
public record Decoded<K, V>(ConsumerRecord<byte[], byte[]> raw, K key, V value,
    ProducerRecord<byte[], DeadLetter> deadLetter) {

  public static final String UNDECODABLE = "undecodable";

  public boolean ok() {
    return deadLetter == null;
  }

  public static <K, V> Decoded<K, V> decode(ConsumerRecord<byte[], byte[]> raw, Topic<K, V> topic, DeadLetters dlq) {
    try {
      K key = topic.keySerde().deserializer().deserialize(raw.topic(), raw.key());
      V value = topic.valueSerde().deserializer().deserialize(raw.topic(), raw.value());
      if (value == null) {
        return new Decoded<>(raw, key, null, dlq.of(raw, "null-value", "record without a value (tombstone) on " + raw.topic()));
      }
      return new Decoded<>(raw, key, value, null);
    } catch (RuntimeException e) {
      return new Decoded<>(raw, null, null, dlq.of(raw, UNDECODABLE, e.getMessage()));
    }
  }
}
