package dev.prefstream.labeler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.service.Health;
import dev.prefstream.core.testing.Await;
import dev.prefstream.core.testing.FixedService;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream thread parked in a call that never returns (here a record whose processing blocks, as a
 * producer's flush blocks once its network thread has died) stops polling; the labeler's health reads
 * that from the stream thread's consumer and reports the process not live, so it gets restarted.
 */
@ExtendWith(KafkaBroker.class)
class StuckStreamIT {

  @Test
  void aParkedStreamThreadGoesNotLiveAndLiveAgainWhenItMoves() throws Exception {
    PrefstreamConfig config = KafkaBroker.freshConfig(1);
    Topics topics = KafkaBroker.freshTopics(config);
    CountDownLatch release = new CountDownLatch(1);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(topics.votesJson().name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
        .foreach((k, v) -> {
          if ("block".equals(new String(v, StandardCharsets.UTF_8))) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry());
        KafkaStreams streams = new KafkaStreams(builder.build(), streamsProperties(clients));
        KafkaProducer<byte[], byte[]> producer = clients.producer("stuck-it", new ByteArraySerializer(),
            new ByteArraySerializer())) {
      // the labeler's view of a Streams client: its stream threads' poll silence
      FixedService service = new FixedService("streams", () -> LabelerService.pollSilence(streams), () -> {});
      // stuck after 3 s here (2 min by default); last-poll-seconds-ago counts whole seconds
      Health health = new Health(null, Duration.ofSeconds(2), Duration.ofSeconds(3));
      health.register(service);
      streams.start();
      Await.until(Duration.ofSeconds(60), () -> streams.state() == KafkaStreams.State.RUNNING, () -> "RUNNING");
      producer.send(new ProducerRecord<>(topics.votesJson().name(), "ok".getBytes(StandardCharsets.UTF_8))).get();
      Thread.sleep(5_000);
      assertTrue(health.live(), "an idle stream thread polls every poll.ms: " + health.liveLine(service));

      producer.send(new ProducerRecord<>(topics.votesJson().name(), "block".getBytes(StandardCharsets.UTF_8))).get();
      Await.until(Duration.ofSeconds(30), () -> !health.live(), () -> "a parked stream thread is not live");
      assertFalse(health.ready());
      assertTrue(health.liveLine(service).startsWith("DOWN (stuck: no progress for"), health.liveLine(service));
      assertTrue(streams.state() == KafkaStreams.State.RUNNING, "Kafka Streams itself still says RUNNING");

      release.countDown();
      Await.until(Duration.ofSeconds(30), health::live, () -> "live again once the thread moves");
    } finally {
      release.countDown();
    }
  }

  private static Properties streamsProperties(KafkaClients clients) throws java.io.IOException {
    Properties p = new Properties();
    p.putAll(clients.common());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "stuck-it-" + System.nanoTime());
    p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("stuck-it").toString());
    return p;
  }

}
