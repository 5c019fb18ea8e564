package dev.prefstream.labeler;

import static dev.prefstream.labeler.Records.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.avro.ScorerScore;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.testing.Await;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.labeler.bench.SyntheticPairs;
import dev.prefstream.schemas.AvroSerde;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly-once on a real broker: 10,000 scored pairs with poison records mixed in; the labeler runs
 * in a child JVM that is killed (SIGKILL) mid-run, then restarts on the same state directory. Every
 * valid pair must be on clean or conflicting exactly once (read_committed) and every poison record in
 * the dead-letter topic exactly once, with its offset.
 */
@ExtendWith(KafkaBroker.class)
class LabelerExactlyOnceIT {
  private static final int PAIRS = 10_000;
  private static final AvroSerde<ScoredPair> SERDE = AvroSerde.of(ScoredPair.class);

  private record Source(int partition, long offset) {}

  @Test
  void everyPairOnceAndEveryPoisonRecordDeadLetteredAcrossAKill() throws Exception {
    PrefstreamConfig base = KafkaBroker.freshConfig(6);
    Topics topics = KafkaBroker.freshTopics(base);
    Map<String, String> settings = Fixtures.labelerSettings(base, topics, "eos-it");
    settings.put(LabelerConfig.SCORERS, String.join(",", SyntheticPairs.SCORERS));
    settings.put("labeler.streams.max.poll.records", "100");
    PrefstreamConfig config = PrefstreamConfig.of(settings);

    Map<Source, String> poison = feed(config, topics.scored());
    Set<String> validIds = new HashSet<>();
    for (int i = 0; i < PAIRS; i++) {
      validIds.add(SyntheticPairs.pair(i).getVote().getPairId());
    }

    Process child = startChild(settings);
    try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry())) {
      Await.until(Duration.ofSeconds(60), () -> committedCount(clients, topics) >= 500,
          () -> "the first labels to be committed; child alive=" + child.isAlive());
      child.destroyForcibly();
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      long atKill = committedCount(clients, topics);
      assertTrue(atKill < PAIRS, "killed mid-run, " + atKill + " of " + PAIRS + " committed");

      try (LabelerService restarted = new LabelerService(config, new SimpleMeterRegistry())) {
        restarted.start();
        assertTrue(restarted.awaitReady(Duration.ofSeconds(60)));
        String group = settings.get(LabelerConfig.APPLICATION_ID);
        Await.until(Duration.ofSeconds(90), () -> lagZero(clients, group, topics.scored()),
            () -> "the labeler to consume all input; committed outputs " + committedCount(clients, topics));
      }

      // the killed instance's open transaction holds the last stable offset back until the broker
      // aborts it (transaction timeout), so read_committed readers may need a moment to see the rest
      Map<String, Integer> routed = new HashMap<>();
      Await.until(Duration.ofSeconds(90), () -> {
        routed.clear();
        for (Topic<String, LabeledPair> t : List.of(topics.clean(), topics.conflicting())) {
          for (ConsumerRecord<byte[], byte[]> r : readAll(clients, t.name())) {
            routed.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
          }
        }
        return routed.keySet().containsAll(validIds);
      }, () -> routed.size() + " of " + validIds.size() + " valid pairs routed; "
          + whereAbouts(clients, topics, settings.get(LabelerConfig.APPLICATION_ID), validIds, routed.keySet()));
      assertEquals(validIds, routed.keySet(), "every valid pair routed");
      assertTrue(routed.values().stream().allMatch(c -> c == 1), "no pair routed twice");
      assertEquals(PAIRS, readAll(clients, topics.labels().name()).size());

      AvroSerde<DeadLetter> letters = AvroSerde.of(DeadLetter.class);
      Map<Source, String> dead = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : readAll(clients, topics.dlq().name())) {
        DeadLetter l = letters.decode(r.value());
        assertEquals(topics.scored().name(), l.getSourceTopic());
        String previous = dead.put(new Source(l.getPartition(), l.getOffset()), l.getReason());
        assertEquals(null, previous, "dead-lettered twice: " + l);
      }
      assertEquals(poison, dead);
    } finally {
      child.destroyForcibly();
    }
  }

  /**
   * Sends the valid pairs with four kinds of poison mixed in and checks that the broker acknowledged
   * every record; returns each poison record's place.
   */
  private static Map<Source, String> feed(PrefstreamConfig config, Topic<String, ScoredPair> scored)
      throws Exception {
    Map<Source, String> poison = new HashMap<>();
    List<Future<RecordMetadata>> valid = new ArrayList<>();
    Map<Future<RecordMetadata>, String> bad = new HashMap<>();
    try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry());
        KafkaProducer<byte[], byte[]> producer = clients.producer("it-feed", new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < PAIRS; i++) {
        ScoredPair p = SyntheticPairs.pair(i);
        byte[] key = p.getVote().getPairId().getBytes(StandardCharsets.UTF_8);
        valid.add(producer.send(new ProducerRecord<>(scored.name(), key, SERDE.encode(p))));
        String reason = null;
        byte[] value = null;
        byte[] badKey = key;
        if (i % 97 == 0) {
          reason = "undeserializable";
          value = ("poison " + i).getBytes(StandardCharsets.UTF_8);
        } else if (i % 89 == 0) {
          reason = "nan-score";
          value = SERDE.encode(withScores(p, new ScorerScore("s1", "1", Double.NaN, 0.2), p.getScores().get(1),
              p.getScores().get(2)));
        } else if (i % 83 == 0) {
          reason = "missing-score";
          value = SERDE.encode(withScores(p, p.getScores().get(0), p.getScores().get(1)));
        } else if (i % 79 == 0) {
          reason = "bad-pair-id";
          value = SERDE.encode(p);
          badKey = ("not-a-pair-" + i).getBytes(StandardCharsets.UTF_8);
        }
        if (reason != null) {
          bad.put(producer.send(new ProducerRecord<>(scored.name(), badKey, value)), reason);
        }
      }
      producer.flush();
      for (Future<RecordMetadata> f : valid) {
        f.get(); // a refused send fails the test here, not as a pair missing downstream
      }
      for (var e : bad.entrySet()) {
        RecordMetadata md = e.getKey().get();
        poison.put(new Source(md.partition(), md.offset()), e.getValue());
      }
    }
    assertEquals(PAIRS, valid.size());
    assertTrue(poison.size() > 300, "poison records sent: " + poison.size());
    return poison;
  }

  private static ScoredPair withScores(ScoredPair p, ScorerScore... scores) {
    return ScoredPair.newBuilder(p).setScores(List.of(scores)).build();
  }

  private static Process startChild(Map<String, String> settings) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.prefstream.avro", "-cp", System.getProperty("java.class.path"),
        LabelerMain.class.getName()));
    settings.forEach((k, v) -> cmd.add(k + "=" + v));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(Path.of("target", "labeler-child.log").toFile()).start();
  }

  private static long committedCount(KafkaClients clients, Topics topics) {
    return readAll(clients, topics.clean().name()).size() + readAll(clients, topics.conflicting().name()).size();
  }

  private static boolean lagZero(KafkaClients clients, String group, Topic<?, ?> input) {
    try (Admin admin = clients.admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < input.partitions(); p++) {
        latest.put(new TopicPartition(input.name(), p), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(latest).all().get();
      return ends.entrySet().stream().allMatch(e -> committed.containsKey(e.getKey())
          && committed.get(e.getKey()).offset() >= e.getValue().offset());
    } catch (Exception e) {
      return false;
    }
  }

  /** Where the unrouted pairs are: their input records, labels and pair-state changelog records. */
  private static String whereAbouts(KafkaClients clients, Topics topics, String applicationId, Set<String> valid,
      Set<String> routed) {
    Set<String> missing = new HashSet<>(valid);
    missing.removeAll(routed);
    if (missing.isEmpty() || missing.size() > 5) {
      return missing.size() + " missing";
    }
    StringBuilder out = new StringBuilder();
    String changelog = applicationId + "-" + dev.prefstream.labeler.stream.LabelerStores.PAIRS + "-changelog";
    for (String id : missing) {
      out.append("pair ").append(id).append(':');
      for (String topic : List.of(topics.scored().name(), topics.labels().name(), changelog)) {
        for (String isolation : List.of("read_committed", "read_uncommitted")) {
          List<String> at = new ArrayList<>();
          for (ConsumerRecord<byte[], byte[]> r : readAll(clients, topic, isolation)) {
            if (r.key() != null && id.equals(new String(r.key(), StandardCharsets.UTF_8))) {
              at.add(r.partition() + "@" + r.offset());
            }
          }
          out.append(' ').append(topic).append(' ').append(isolation).append(at);
        }
      }
      out.append("; ");
    }
    return out.toString();
  }
}
