package dev.prefstream.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.testing.Votes;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The same round trip against a containerised broker, where a Docker engine exists; skipped elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerBrokerIT {
  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka-native:4.1.0");

  @Test
  void avroVotesRoundTrip() {
    PrefstreamConfig config = PrefstreamConfig.of(Map.of("kafka.bootstrap.servers", KAFKA.getBootstrapServers()));
    try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry()); var admin = clients.admin()) {
      Topics topics = clients.topics();
      new TopicProvisioner(admin, Duration.ofSeconds(60)).provision(topics.all());
      PreferenceVote vote = Votes.vote(1, "u", Choice.A);
      try (KafkaProducer<String, PreferenceVote> p = clients.producerFor("tc", topics.votes())) {
        p.send(new ProducerRecord<>(topics.votes().name(), vote.getPairId(), vote));
        p.flush();
      }
      List<PreferenceVote> got = new ArrayList<>();
      try (KafkaConsumer<String, PreferenceVote> c = clients.consumer("tc", "tc", topics.votes().keySerde().deserializer(),
          topics.votes().valueSerde().deserializer())) {
        c.subscribe(List.of(topics.votes().name()));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (got.isEmpty() && System.nanoTime() < deadline) {
          c.poll(Duration.ofMillis(200)).forEach(r -> got.add(r.value()));
        }
      }
      assertEquals(List.of(vote), got);
    }
  }
}
