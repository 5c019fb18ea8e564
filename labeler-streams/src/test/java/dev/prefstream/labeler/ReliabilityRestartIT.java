package dev.prefstream.labeler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.ScoredPair;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.testing.Await;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.labeler.bench.SyntheticPairs;
import dev.prefstream.labeler.voting.Reliability;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scorer reliability counts live in task memory and are summed from the pair store when a task
 * starts. On a real broker: a labeler counts 40 pairs, stops; a second one on the same state
 * directory and a third on an empty one (restored from the changelog) start with the same counts
 * before any new input, and the next pair moves them by exactly one vote per scorer.
 */
@ExtendWith(KafkaBroker.class)
class ReliabilityRestartIT {
  private static final int PAIRS = 40;

  @Test
  void countsSurviveARestartAndARestoreFromTheChangelog() throws Exception {
    PrefstreamConfig base = KafkaBroker.freshConfig(2);
    Topics topics = KafkaBroker.freshTopics(base);
    Map<String, String> settings = Fixtures.labelerSettings(base, topics, "reliability-it");
    Path state = Path.of(settings.get(LabelerConfig.STATE_DIR));
    settings.put(LabelerConfig.POLICY, "weighted");
    // a closed labeler stays in its group until its session times out: keep that short here
    settings.put("labeler.streams.consumer.session.timeout.ms", "6000");
    settings.put("labeler.streams.consumer.heartbeat.interval.ms", "1000");
    PrefstreamConfig config = PrefstreamConfig.of(settings);

    Map<String, Reliability> counted = run(config, topics, 0, PAIRS, PAIRS);
    for (String scorer : SyntheticPairs.SCORERS) {
      assertEquals(PAIRS, counted.get(scorer).votes(), scorer + ": every synthetic pair has a human label");
      assertTrue(counted.get(scorer).agree() > 0 && counted.get(scorer).agree() < PAIRS, counted.toString());
    }
    assertEquals(counted, run(config, topics, PAIRS, 0, PAIRS), "same state directory");
    deleteTree(state);
    assertEquals(counted, run(config, topics, PAIRS, 0, PAIRS), "restored from the changelog");
    Map<String, Reliability> after = run(config, topics, PAIRS, 1, PAIRS + 1);
    for (String scorer : SyntheticPairs.SCORERS) {
      assertEquals(counted.get(scorer).votes() + 1, after.get(scorer).votes(), scorer);
    }
  }

  /**
   * Starts a labeler, sends pairs {@code from} to {@code from + n}, waits until every scorer's
   * published counts reach {@code votes}, returns them and closes the labeler.
   */
  private static Map<String, Reliability> run(PrefstreamConfig config, Topics topics, int from, int n, int votes)
      throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LabelerService labeler = new LabelerService(config, registry)) {
      labeler.start();
      assertTrue(labeler.awaitReady(Duration.ofSeconds(60)), "labeler not RUNNING");
      try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry());
          KafkaProducer<String, ScoredPair> producer = clients.producerFor("rel-feed", topics.scored())) {
        for (int i = from; i < from + n; i++) {
          ScoredPair p = SyntheticPairs.pair(i);
          producer.send(new ProducerRecord<>(topics.scored().name(), p.getVote().getPairId(), p)).get();
        }
      }
      Await.until(Duration.ofSeconds(60), () -> SyntheticPairs.SCORERS.stream()
              .allMatch(s -> gauge(registry, "prefstream.labeler.scorer.votes", s) == votes),
          () -> "scorer votes to reach " + votes + ": " + counts(registry));
      return counts(registry);
    }
  }

  private static Map<String, Reliability> counts(SimpleMeterRegistry registry) {
    Map<String, Reliability> out = new HashMap<>();
    for (String s : SyntheticPairs.SCORERS) {
      double votes = gauge(registry, "prefstream.labeler.scorer.votes", s);
      double rate = gauge(registry, "prefstream.labeler.scorer.agreement", s);
      out.put(s, new Reliability(Math.round(rate * votes), (long) votes));
    }
    return out;
  }

  private static double gauge(SimpleMeterRegistry registry, String name, String scorer) {
    Gauge g = registry.find(name).tag("scorer", scorer).gauge();
    return g == null ? -1 : g.value();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Files.createDirectories(dir);
  }
}
