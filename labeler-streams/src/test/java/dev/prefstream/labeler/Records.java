package dev.prefstream.labeler;

import dev.prefstream.core.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a topic of the test broker from its beginning to its current end, for assertions. */
final class Records {
  private Records() {}

  /** Every committed record of a topic (read_committed), from the beginning to the end. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaClients clients, String topic) {
    return readAll(clients, topic, "read_committed");
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaClients clients, String topic, String isolation) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = clients.rawConsumer(null, "it-reader",
        Map.of("isolation.level", isolation))) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream()
          .map(pi -> new TopicPartition(topic, pi.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end");
        }
        c.poll(Duration.ofMillis(100)).forEach(out::add);
      }
    }
    return out;
  }
}
