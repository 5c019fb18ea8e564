package dev.prefstream.scorer.service;

import dev.prefstream.core.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads topics to their end and waits on consumer groups, for the integration tests. */
final class KafkaReads {
  private KafkaReads() {}

  /** Every record of {@code topic} up to its end as {@code isolation} sees it. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic,
      String isolation) {
    Map<String, Object> p = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end " + end);
        }
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  /** Waits until {@code group} has committed the end of every partition of {@code topic}. */
  static void awaitConsumed(String bootstrap, String group, String topic, Duration max) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Await.until(max, () -> lag(admin, group, topic) == 0,
          () -> group + " lags " + lag(admin, group, topic) + " records behind on " + topic);
    }
  }

  static long lag(Admin admin, String group, String topic) {
    try {
      List<TopicPartition> parts = admin.describeTopics(List.of(topic)).allTopicNames().get()
          .get(topic).partitions().stream().map(i -> new TopicPartition(topic, i.partition()))
          .toList();
      Map<TopicPartition, Long> end = admin.listOffsets(parts.stream()
              .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get()
          .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      long lag = 0;
      for (TopicPartition tp : parts) {
        OffsetAndMetadata c = committed.get(tp);
        lag += end.get(tp) - (c == null ? 0 : c.offset());
      }
      return lag;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      return Long.MAX_VALUE;
    }
  }
}
