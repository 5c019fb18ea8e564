package dev.prefstream.sim.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.ModelVersion;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.model.Manifest;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import dev.prefstream.sim.pretrain.TinyModels;
import dev.prefstream.diffusion.store.StoredUNet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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

  @Test
  void switchesToANewerVersionAnnouncedOnTheModelVersionsTopic(@TempDir Path dir) throws Exception {
    PrefstreamConfig config = KafkaBroker.freshConfig(1).with(Map.of("feeder.rate", "20", "feeder.batch-pairs", "1",
        "feeder.votes-per-pair", "1", "feeder.ddim-steps", "2", "feeder.population.size", "5"));
    Topics topics = KafkaBroker.freshTopics(config);
    ModelStore models = new ModelStore(dir.resolve("models"));
    ModelStore.Stored v0 = TinyModels.publishBase(models, 1).published();
    Manifest m = v0.manifest();
    ModelStore.Stored v1 = models.publishVersion(new Manifest(m.model(), m.kind(), 1, 0, 0, m.step() + 1, m.beta(),
        m.betaConvention(), m.config(), m.metrics(), m.offsets(), Map.of(), 0),
        d -> Files.copy(v0.file(StoredUNet.PARAMETERS), d.resolve(StoredUNet.PARAMETERS)));
    ImageStore images = new ImageStore(ImageStore.Settings.of(dir.resolve("data")));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaClients clients = new KafkaClients(config, registry);
        Feeder feeder = new Feeder(FeederConfig.from(config), clients, models, images, Clock.systemUTC())) {
      feeder.start();
      assertTrue(feeder.awaitReady(Duration.ofSeconds(60)));
      try (KafkaProducer<String, ModelVersion> producer = clients.producerFor("it-versions", topics.modelVersions())) {
        ModelStore.Stored v2 = models.publishVersion(new Manifest(m.model(), m.kind(), 2, 1, 0, 3, m.beta(), m.betaConvention(), m.config(),
            m.metrics(), m.offsets(), Map.of(), 0),
            d -> Files.copy(v0.file(StoredUNet.PARAMETERS), d.resolve(StoredUNet.PARAMETERS)));
        ModelVersion.Builder announced = ModelVersion.newBuilder().setModel("unet").setParent(1)
            .setReferenceVersion(0).setBeta(5000).setBetaConvention("half").setStep(3).setMetrics(Map.of())
            .setCreatedAt(Instant.now());
        // a record whose manifest digest does not match the store is refused: the feeder stays on v1
        producer.send(new ProducerRecord<>(topics.modelVersions().name(), "unet", announced.setVersion(2)
            .setLocation("unet/v2").setManifestSha256(v1.manifestSha256()).build())).get();
        producer.send(new ProducerRecord<>(topics.modelVersions().name(), "unet", announced.setVersion(2)
            .setLocation("unet/v2").setManifestSha256(v2.manifestSha256()).build())).get();
      }
      Topic<String, PreferenceVote> votes = topics.votes();
      try (KafkaConsumer<String, PreferenceVote> consumer = clients.consumer("swap-it", "swap-it",
          votes.keySerde().deserializer(), votes.valueSerde().deserializer())) {
        consumer.subscribe(List.of(votes.name()));
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!seen.contains("2") && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value().getAttributes()
              .get(PairGenerator.MODEL_VERSION)));
        }
        assertTrue(seen.contains("1"), "votes from the newest stored version at start: " + seen);
        assertTrue(seen.contains("2"), "votes from the announced version: " + seen);
      }
      assertEquals(2.0, registry.get("prefstream.feeder.model.version").gauge().value());
    }
  }
}
