package dev.prefstream.sim.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import dev.prefstream.sim.pretrain.TinyModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBroker.class)
class FeederIT {

  @Test
  void producesTheConfiguredVotesWithEveryAttribute(@TempDir Path dir) throws Exception {
    PrefstreamConfig config = KafkaBroker.freshConfig(2).with(Map.of("feeder.max-pairs", "5",
        "feeder.votes-per-pair", "2", "feeder.batch-pairs", "2", "feeder.rate", "0", "feeder.ddim-steps", "4",
        "feeder.population.size", "10"));
    Topics topics = KafkaBroker.freshTopics(config);
    ModelStore models = new ModelStore(dir.resolve("models"));
    TinyModels.publishBase(models, 1);
    ImageStore images = new ImageStore(ImageStore.Settings.of(dir.resolve("data")));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaClients clients = new KafkaClients(config, registry)) {
      try (Feeder feeder = new Feeder(FeederConfig.from(config), clients, models, images, Clock.systemUTC())) {
        feeder.start();
        assertTrue(feeder.awaitFinished(Duration.ofSeconds(120)), "feeder finished");
        assertTrue(feeder.isLive());
        assertEquals(10, feeder.votesProduced());
      }
      assertEquals(10.0, registry.get("prefstream.feeder.votes").counter().count());
      assertEquals(5.0, registry.get("prefstream.feeder.pairs").counter().count());
      double noise = registry.get("prefstream.feeder.label.noise").gauge().value();
      assertTrue(noise >= 0 && noise <= 1);

      Topic<String, PreferenceVote> votes = topics.votes();
      List<PreferenceVote> read = new ArrayList<>();
      try (KafkaConsumer<String, PreferenceVote> consumer = clients.consumer("feeder-it", "feeder-it",
          votes.keySerde().deserializer(), votes.valueSerde().deserializer())) {
        consumer.subscribe(List.of(votes.name()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (read.size() < 10 && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, PreferenceVote> r : consumer.poll(Duration.ofMillis(200))) {
            assertEquals(r.value().getPairId(), r.key());
            read.add(r.value());
          }
        }
      }
      assertEquals(10, read.size());
      for (PreferenceVote v : read) {
        assertTrue(v.getAttributes().keySet().containsAll(List.of(PairGenerator.TRUE_PREFERENCE,
            PairGenerator.ORACLE_A, PairGenerator.ORACLE_B, PairGenerator.MODEL_VERSION)), v.getAttributes().toString());
        assertEquals("simulator", v.getSource());
      }
    }
  }
}
