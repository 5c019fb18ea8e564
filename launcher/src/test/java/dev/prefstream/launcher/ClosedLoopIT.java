package dev.prefstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.PseudoLabel;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.model.Manifest;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.core.service.Service;
import dev.prefstream.core.testing.Await;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.diffusion.model.UNetConfig;
import dev.prefstream.diffusion.model.UNetDenoiser;
import dev.prefstream.diffusion.store.StoredUNet;
import dev.prefstream.labeler.LabelerService;
import dev.prefstream.schemas.PairIds;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import dev.prefstream.scorer.service.ScoringService;
import dev.prefstream.sim.feed.Feeder;
import dev.prefstream.sim.feed.FeederConfig;
import dev.prefstream.sim.world.Prompt;
import dev.prefstream.trainer.TrainerService;
import dev.prefstream.trainer.relabel.Relabeler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on a real broker, CI-sized: simulated votes on pairs sampled from a small model
 * flow through the scorer and the labeler to clean and conflicting; the trainer publishes a
 * version; the relabeler pseudo-labels conflicting pairs with it; the labeler emits them relabelled;
 * and every count adds up.
 */
@ExtendWith(KafkaBroker.class)
class ClosedLoopIT {
  private static final int PAIRS = 48;

  @TempDir
  Path dir;

  @Test
  void votesFlowToLabelsAVersionIsPublishedAndConflictingPairsAreRelabelled() throws Exception {
    PrefstreamConfig config = KafkaBroker.freshConfig(2).with(settings(dir));
    Topics topics = KafkaBroker.freshTopics(config);
    ModelStore models = new ModelStore(dir.resolve("models"));
    publishSmallBase(models);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    try (KafkaClients clients = new KafkaClients(config, registry)) {
      Feeder feeder = new Feeder(FeederConfig.from(config), clients, models,
          new ImageStore(ImageStore.Settings.from(config, dir.resolve("images"))), Clock.systemUTC());
      LabelerService labeler = new LabelerService(config, registry);
      ScoringService scorer = ScoringService.create(config, clients, registry);
      TrainerService trainer = TrainerService.create(config, clients);
      Relabeler relabeler = Relabeler.create(config, clients);
      List<Service> services = List.of(labeler, scorer, trainer, relabeler, feeder);
      try {
        for (Service s : services) {
          s.start();
        }
        assertTrue(feeder.awaitFinished(Duration.ofMinutes(3)), "the feeder produced its pairs");
        long votes = feeder.votesProduced();
        Await.until(Duration.ofMinutes(2), () -> count(registry, "prefstream.scorer.records.out") >= votes
            || services.stream().anyMatch(s -> !s.isLive()), () -> "scored " + count(registry, "prefstream.scorer.records.out") + " of " + votes);
        Await.until(Duration.ofMinutes(3), () -> count(registry, "prefstream.labeler.pairs.relabeled") > 0
            || services.stream().anyMatch(s -> !s.isLive()), () -> "relabelled pairs; trainer " + trainer.status()
            + ", relabeler round on v" + relabeler.lastRoundVersion() + " with " + relabeler.labelsPublished() + " labels");
        services.forEach(s -> assertTrue(s.isLive(), s.name() + " is live"));
      } finally {
        for (Service s : List.of(feeder, scorer, labeler, relabeler, trainer)) {
          s.close();
        }
      }

      List<PreferenceVote> voted = values(clients, topics.votes());
      List<ScoredPair> scored = values(clients, topics.scored());
      assertEquals(feeder.votesProduced(), voted.size(), "every vote on prefs.votes");
      assertEquals(voted.size(), scored.size(), "every vote scored exactly once");
      assertEquals(voted.stream().map(PreferenceVote::getVoteId).collect(java.util.stream.Collectors.toSet()),
          scored.stream().map(s -> s.getVote().getVoteId()).collect(java.util.stream.Collectors.toSet()));

      Map<String, LabeledPair> clean = latest(clients, topics.clean());
      Map<String, LabeledPair> conflicting = latest(clients, topics.conflicting());
      Set<String> both = new HashSet<>(clean.keySet());
      both.retainAll(conflicting.keySet());
      assertTrue(both.isEmpty(), "no pair is both clean and conflicting: " + both);
      Set<String> routed = new HashSet<>(clean.keySet());
      routed.addAll(conflicting.keySet());
      assertEquals(decidedByHumans(voted), routed, "every pair with a human winner is routed once; ties wait");
      assertTrue(!conflicting.isEmpty(), "some pairs conflict");

      assertTrue(models.latestVersion("unet").orElse(0) >= 1, "the trainer published a version");
      List<PseudoLabel> pseudo = values(clients, topics.pseudoLabels());
      assertTrue(!pseudo.isEmpty(), "the relabeler published pseudo-labels");
      Map<String, LabeledPair> relabeled = latest(clients, topics.relabeled());
      assertTrue(!relabeled.isEmpty(), "the labeler emitted relabelled pairs");
      for (LabeledPair p : relabeled.values()) {
        assertTrue(conflicting.containsKey(p.getPairId()), "only conflicting pairs are relabelled");
        assertTrue(p.getAnchors().stream().anyMatch(a -> a.getSign() != 0), "with at least one confident anchor");
      }
      System.out.printf("closed loop: %d votes, %d pairs (%d clean, %d conflicting), v%d published, %d pseudo-labels, "
          + "%d relabelled%n", voted.size(), PAIRS, clean.size(), conflicting.size(),
          models.latestVersion("unet").orElse(0), pseudo.size(), relabeled.size());
    }
  }

  private static Map<String, String> settings(Path dir) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("models.root", dir.resolve("models").toString());
    s.put("images.roots", dir.resolve("images").toString());
    s.put("labeler.state-dir", dir.resolve("state").toString());
    s.put("labeler.commit-interval-ms", "200");
    s.put("labeler.holdout-share", "0.1");
    s.put("scorer.max-batch-records", "50");
    s.put("trainer.batch-pairs", "4");
    s.put("trainer.buffer.min", "8");
    s.put("trainer.steps-per-version", "4");
    s.put("trainer.checkpoint-every", "4");
    s.put("trainer.max-steps", "8");
    s.put("relabel.batch-pairs", "8");
    s.put("relabel.min-holdout", "1000");
    s.put("feeder.rate", "0");
    s.put("feeder.max-pairs", String.valueOf(PAIRS));
    s.put("feeder.votes-per-pair", "3");
    s.put("feeder.ddim-steps", "4");
    s.put("feeder.batch-pairs", "8");
    return s;
  }

  /** A small untrained UNet over the grammar's words as v0: fast to sample, enough to move pairs. */
  private static void publishSmallBase(ModelStore models) throws Exception {
    UNetConfig small = new UNetConfig(32, 8, 4, 8, Prompt.vocabulary(), 12);
    try (UNetDenoiser base = UNetDenoiser.create(small, 3)) {
      models.publishVersion(new Manifest("unet", Manifest.VERSION, 0, null, 0, 0, 5000, "half",
          StoredUNet.configEntries(small), Map.of(), Map.of(), Map.of(), 0), d -> StoredUNet.writeParameters(base, d));
    }
  }

  /** Pairs whose distinct users' latest votes have a winner (the labeler routes them; ties wait). */
  private static Set<String> decidedByHumans(List<PreferenceVote> votes) {
    Map<String, Map<String, Choice>> byPair = new HashMap<>();
    for (PreferenceVote v : votes) {
      PreferenceVote c = PairIds.canonical(v);
      byPair.computeIfAbsent(c.getPairId(), k -> new HashMap<>()).put(c.getUserId(), c.getChoice());
    }
    Set<String> decided = new HashSet<>();
    byPair.forEach((pair, choices) -> {
      long a = choices.values().stream().filter(x -> x == Choice.A).count();
      long b = choices.values().stream().filter(x -> x == Choice.B).count();
      if (a != b) {
        decided.add(pair);
      }
    });
    return decided;
  }

  private static long count(SimpleMeterRegistry registry, String name) {
    return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static <V> List<V> values(KafkaClients clients, Topic<String, V> topic) {
    List<V> out = new ArrayList<>();
    read(clients, topic).forEach(r -> {
      if (r.value() != null) {
        out.add(r.value());
      }
    });
    return out;
  }

  /** The latest value per key, tombstones removing the key (what a compacted topic converges to). */
  private static <V> Map<String, V> latest(KafkaClients clients, Topic<String, V> topic) {
    Map<String, V> out = new HashMap<>();
    read(clients, topic).forEach(r -> {
      if (r.value() == null) {
        out.remove(r.key());
      } else {
        out.put(r.key(), r.value());
      }
    });
    return out;
  }

  /** Every committed record of a topic, read to its end. */
  private static <V> List<ConsumerRecord<String, V>> read(KafkaClients clients, Topic<String, V> topic) {
    try (KafkaConsumer<String, V> c = clients.consumer(null, "closed-loop-reader", topic.keySerde().deserializer(),
        topic.valueSerde().deserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      List<ConsumerRecord<String, V>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }
}
