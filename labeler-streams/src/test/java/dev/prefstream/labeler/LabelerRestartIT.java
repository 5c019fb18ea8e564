package dev.prefstream.labeler;

import static dev.prefstream.labeler.Records.readAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.Choice;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.testing.Await;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.labeler.Fixtures.Pair;
import dev.prefstream.schemas.JsonVotes;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A labeler that goes away without leaving its group (as a killed one does; Kafka Streams never leaves
 * on close either) and comes back: with a static member id ({@code labeler.streams.group.instance.id},
 * the pod's name in k8s) it takes its tasks back at once instead of waiting out the old member's
 * session timeout (45 s), and goes on ingesting.
 */
@ExtendWith(KafkaBroker.class)
class LabelerRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aStaticMemberIsRunningAgainWithin15Seconds() throws Exception {
    PrefstreamConfig base = KafkaBroker.freshConfig(1);
    Topics topics = KafkaBroker.freshTopics(base);
    Map<String, String> settings = Fixtures.labelerSettings(base, topics, "restart-it");
    settings.put(LabelerConfig.STREAMS_PREFIX + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "labeler-0");
    PrefstreamConfig config = PrefstreamConfig.of(settings);
    Pair pair = Fixtures.pair(1);

    try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry())) {
      try (LabelerService first = new LabelerService(config, new SimpleMeterRegistry())) {
        first.start();
        assertTrue(first.awaitReady(WAIT), "first labeler not RUNNING");
        sendJson(clients, topics, pair, "v-1", "u-1");
        Await.until(WAIT, () -> readAll(clients, topics.votes().name()).size() == 1, () -> "the first vote ingested");
      }
      long t0 = System.nanoTime();
      try (LabelerService second = new LabelerService(config, new SimpleMeterRegistry())) {
        second.start();
        assertTrue(second.awaitReady(WAIT), "second labeler not RUNNING");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("labeler RUNNING again %d ms after its restart%n", millis);
        // without the static id this took the session timeout, 45 s, and more (measured: docs/decisions/0014)
        assertTrue(millis < 15_000, "RUNNING again after " + millis + " ms");
        sendJson(clients, topics, pair, "v-2", "u-2");
        Await.until(WAIT, () -> readAll(clients, topics.votes().name()).size() == 2, () -> "the second vote ingested");
      }
    }
  }

  private static void sendJson(KafkaClients clients, Topics topics, Pair pair, String voteId, String user)
      throws Exception {
    byte[] json = JsonVotes.toJson(Fixtures.vote(pair, voteId, user, Choice.A, 0)).getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> producer = clients.producer("it-json", new ByteArraySerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topics.votesJson().name(), pair.id().getBytes(StandardCharsets.UTF_8), json))
          .get();
    }
  }
}
