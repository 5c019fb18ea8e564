package dev.prefstream.core.kafka;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.core.testing.Votes;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBroker.class)
class LocalBrokerIT {

  @Test
  void avroVotesRoundTripAndGarbageBecomesADeadLetterWhileTheConsumerGoesOn() throws Exception {
    PrefstreamConfig config = KafkaBroker.freshConfig(2);
    Topics topics = KafkaBroker.freshTopics(config);
    Topic<String, PreferenceVote> votes = topics.votes();
    List<PreferenceVote> sent = new ArrayList<>();
    try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry());
        KafkaProducer<String, PreferenceVote> producer = clients.producerFor("it-producer", votes);
        KafkaProducer<byte[], byte[]> raw = clients.producer("it-raw", new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 50; i++) {
        PreferenceVote v = Votes.vote(i, "u" + i, i % 3 == 0 ? Choice.B : Choice.A);
        sent.add(v);
        producer.send(new ProducerRecord<>(votes.name(), v.getPairId(), v)).get();
        if (i == 25) {
          raw.send(new ProducerRecord<>(votes.name(), 0, "poison".getBytes(StandardCharsets.UTF_8),
              "garbage bytes".getBytes(StandardCharsets.UTF_8))).get();
        }
      }

      DeadLetters dlq = new DeadLetters(topics.dlq(), "it", clients.registry());
      List<PreferenceVote> received = new ArrayList<>();
      List<ConsumerRecord<byte[], byte[]>> poisoned = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> consumer = clients.rawConsumer("it-group", "it-consumer", Map.of());
          KafkaProducer<byte[], DeadLetter> dlqProducer = clients.producerFor("it-dlq", topics.dlq())) {
        consumer.subscribe(List.of(votes.name()));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (received.size() + poisoned.size() < 51 && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            Decoded<String, PreferenceVote> d = Decoded.decode(r, votes, dlq);
            if (d.ok()) {
              received.add(d.value());
            } else {
              poisoned.add(r);
              dlq.send(dlqProducer, d.deadLetter());
            }
          }
        }
        dlqProducer.flush();
      }
      received.sort(java.util.Comparator.comparing(PreferenceVote::getVoteId));
      sent.sort(java.util.Comparator.comparing(PreferenceVote::getVoteId));
      assertEquals(sent, received, "every vote read back equal, including the ones after the poison record");
      assertEquals(1, poisoned.size());

      try (KafkaConsumer<byte[], DeadLetter> dl = clients.consumer(null, "it-dlq-reader",
          topics.dlq().keySerde().deserializer(), topics.dlq().valueSerde().deserializer())) {
        List<org.apache.kafka.common.TopicPartition> parts = new ArrayList<>();
        for (int p = 0; p < topics.dlq().partitions(); p++) {
          parts.add(new org.apache.kafka.common.TopicPartition(topics.dlq().name(), p));
        }
        dl.assign(parts);
        dl.seekToBeginning(parts);
        List<DeadLetter> letters = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (letters.isEmpty() && System.nanoTime() < deadline) {
          dl.poll(Duration.ofMillis(200)).forEach(r -> letters.add(r.value()));
        }
        assertEquals(1, letters.size());
        DeadLetter letter = letters.get(0);
        assertEquals(votes.name(), letter.getSourceTopic());
        assertEquals(poisoned.get(0).partition(), letter.getPartition());
        assertEquals(poisoned.get(0).offset(), letter.getOffset());
        assertEquals(Decoded.UNDECODABLE, letter.getReason());
        assertEquals("garbage bytes", StandardCharsets.UTF_8.decode(letter.getValue()).toString());
        assertTrue(letter.getError().contains("PreferenceVote"), letter.getError());
      }
    }
  }

  @Test
  void provisioningIsIdempotentAndAppliesCleanupPolicies() {
    PrefstreamConfig config = KafkaBroker.freshConfig(3);
    try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry());
        var admin = clients.admin()) {
      TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(30));
      List<TopicProvisioner.Outcome> first = provisioner.provision(clients.topics().all());
      // provisioning returns once the broker serves every partition: a leader answers at once
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      clients.topics().all().forEach(t -> {
        for (int p = 0; p < t.partitions(); p++) {
          latest.put(new TopicPartition(t.name(), p), OffsetSpec.latest());
        }
      });
      assertEquals(latest.size(), assertDoesNotThrow(() -> admin.listOffsets(latest,
          new ListOffsetsOptions().timeoutMs(1_000)).all().get()).size(), "every partition online");
      List<TopicProvisioner.Outcome> second = provisioner.provision(clients.topics().all());
      assertTrue(first.stream().allMatch(TopicProvisioner.Outcome::created));
      assertTrue(second.stream().noneMatch(TopicProvisioner.Outcome::created));
      for (TopicProvisioner.Outcome o : second) {
        Topic<?, ?> t = clients.topics().all().stream().filter(x -> x.name().equals(o.topic())).findFirst().orElseThrow();
        assertEquals(t.cleanup().config(), o.cleanupPolicy(), o.topic());
        assertEquals(t.partitions(), o.partitions(), o.topic());
        assertTrue(o.mismatches().isEmpty(), o.mismatches().toString());
      }
      assertEquals("compact", second.stream().filter(o -> o.topic().endsWith("labels")).findFirst().orElseThrow().cleanupPolicy());
      assertFalse(second.isEmpty());
    }
  }

  @Test
  void aClosedClientsMetricsLeaveTheRegistry() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaClients clients = new KafkaClients(KafkaBroker.freshConfig(1), registry)) {
      for (int round = 0; round < 2; round++) {
        try (KafkaProducer<byte[], byte[]> producer = clients.producer("metered", new ByteArraySerializer(),
            new ByteArraySerializer())) {
          assertFalse(registry.find("kafka.producer.request.total").tag("client.id", "metered").meters().isEmpty(),
              "round " + round + ": the producer's metrics are registered");
        }
        assertTrue(registry.find("kafka.producer.request.total").tag("client.id", "metered").meters().isEmpty(),
            "round " + round + ": gone once the producer is closed");
      }
      var consumer = clients.rawConsumer(null, "metered-consumer", Map.of());
      assertFalse(registry.find("kafka.consumer.fetch.manager.fetch.total").meters().isEmpty());
      consumer.close(Duration.ofSeconds(5));
      assertTrue(registry.find("kafka.consumer.fetch.manager.fetch.total").tag("client.id", "metered-consumer")
          .meters().isEmpty());
    }
  }

  @Test
  void deadLetterKeepsTheOriginalBytes() {
    DeadLetters dlq = new DeadLetters(Topics.defaults().dlq(), "unit", new SimpleMeterRegistry());
    var letter = dlq.of("src", 3, 17L, 5L, new byte[] {1}, new byte[] {2, 3}, "why", "because").value();
    assertEquals(ByteBuffer.wrap(new byte[] {2, 3}), letter.getValue());
    assertEquals(17L, letter.getOffset());
    assertEquals("unit", letter.getStage());
  }
}
