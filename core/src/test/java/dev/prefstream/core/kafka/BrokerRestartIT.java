package dev.prefstream.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.config.PrefstreamConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker of its own: stopped, restarted on the same data, then killed. */
class BrokerRestartIT {
  @TempDir
  Path dir;

  @Test
  void dataSurvivesARestartAndAKill() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(0, dir).withHeap("256m"))) {
      PrefstreamConfig config = PrefstreamConfig.of(Map.of("kafka.bootstrap.servers", broker.bootstrapServers()));
      try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry()); var admin = clients.admin()) {
        admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
        try (KafkaProducer<String, String> p = clients.producer("p", new StringSerializer(), new StringSerializer())) {
          for (int i = 0; i < 100; i++) {
            p.send(new ProducerRecord<>("kept", "k" + i, "v" + i));
          }
          p.flush();
        }
      }

      broker.stop();
      assertFalse(broker.isAlive());
      broker.restart();
      assertEquals(100, count(broker));

      broker.kill();
      assertFalse(broker.isAlive());
      broker.restart();
      assertTrue(broker.isAlive());
      assertEquals(100, count(broker), "acknowledged records survive a crash");
    }
  }

  private static int count(LocalKafkaBroker broker) {
    PrefstreamConfig config = PrefstreamConfig.of(Map.of("kafka.bootstrap.servers", broker.bootstrapServers()));
    try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry());
        KafkaConsumer<String, String> c = clients.consumer(null, "reader", new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition("kept", 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      int n = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (n < 100 && System.nanoTime() < deadline) {
        n += c.poll(Duration.ofMillis(200)).count();
      }
      return n;
    }
  }
}
