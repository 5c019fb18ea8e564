package dev.prefstream.scorer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.avro.ScorerScore;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.testing.Await;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.schemas.PairIds;
import dev.prefstream.schemas.Topics;
import dev.prefstream.scorer.ScorerRegistry;
import dev.prefstream.scorer.bench.SyntheticVotes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring service on a real broker: exactly-once output, a dead letter with its reason and
 * source offset for every bad vote, and a replaced (fenced) instance that writes nothing visible.
 */
@ExtendWith(KafkaBroker.class)
class ScoringServiceIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int SCORERS = 4;

  @TempDir
  Path dir;

  private PrefstreamConfig config;
  private Topics topics;
  private ImageStore store;
  private final Random random = new Random(7);

  private void setUp(int partitions, String instance) {
    PrefstreamConfig base = KafkaBroker.freshConfig(partitions);
    topics = KafkaBroker.freshTopics(base);
    Path root = dir.resolve("root");
    config = base.with(Map.of(
        "images.roots", root.toString(),
        ScorerConfig.INSTANCE_ID, instance,
        ScorerConfig.GROUP_ID, topics.prefix() + "scorer",
        ScorerConfig.MAX_BATCH_RECORDS, "8",
        ScorerConfig.POLL_TIMEOUT, "100ms"));
    store = new ImageStore(ImageStore.Settings.of(root));
  }

  @Test
  void scoresEveryGoodVoteOnceAndDeadLettersEveryBadOneWithItsReason() throws Exception {
    setUp(3, "dlq");
    List<ImageRef> pool = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      pool.add(store.put(SyntheticVotes.image(random, 32)));
    }
    List<PreferenceVote> good = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // few images, many votes: most scores come from the cache
      good.add(vote("good-" + i, pool.get(i % 6), pool.get((i + 1) % 6)));
    }
    Map<String, Producing> bad = new HashMap<>();
    bad.put("missing-image", badVote(missingImage()));
    bad.put("bad-digest", badVote(ImageRef.newBuilder(pool.get(0))
        .setSha256(PairIds.sha256Hex(new byte[] {1})).build()));
    bad.put("outside-root", badVote(outsideRoot()));
    bad.put("undecodable-image", badVote(corruptPng()));
    bad.put("undecodable", new Producing(null, "not an avro record".getBytes(StandardCharsets.UTF_8)));

    MeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaClients clients = new KafkaClients(config, registry);
        ScoringService service = ScoringService.create(config, clients, registry)) {
      Map<String, RecordMetadata> badOffsets = produce(good, bad);
      service.start();
      assertTrue(service.awaitReady(WAIT));
      KafkaReads.awaitConsumed(bootstrap(), topics.prefix() + "scorer", topics.votes().name(), WAIT);

      assertScoredOnce(good);
      Map<String, DeadLetter> letters = deadLetters().stream()
          .collect(Collectors.toMap(DeadLetter::getReason, d -> d));
      assertEquals(bad.keySet(), letters.keySet());
      bad.keySet().forEach(reason -> {
        DeadLetter d = letters.get(reason);
        RecordMetadata source = badOffsets.get(reason);
        assertEquals("scorer", d.getStage());
        assertEquals(topics.votes().name(), d.getSourceTopic());
        assertEquals(source.partition(), d.getPartition(), reason);
        assertEquals(source.offset(), d.getOffset(), reason);
      });
      assertEquals(35, registry.counter("prefstream.scorer.records.in").count());
      assertEquals(30, registry.counter("prefstream.scorer.records.out").count());
      assertTrue(registry.get("prefstream.scorer.cache.hit.ratio").gauge().value() > 0.5);
      assertTrue(service.isLive());
    }
  }

  /**
   * A vote that is valid but for its size (2 MB of attributes, produced gzip-compressed, which the
   * broker accepts): its scored record would be too large for the broker. It must become one bounded
   * dead letter, and the next vote must be scored, not be retried in an aborted transaction forever.
   */
  @Test
  void aVoteTooLargeToScoreIsOneBoundedDeadLetterAndTheNextIsScored() throws Exception {
    setUp(1, "oversize");
    ImageRef a = store.put(SyntheticVotes.image(random, 32));
    ImageRef b = store.put(SyntheticVotes.image(random, 32));
    StringBuilder filler = new StringBuilder();
    while (filler.length() < 2_000_000) {
      filler.append("a very long attribute ");
    }
    PreferenceVote oversize = PreferenceVote.newBuilder(vote("oversize", a, b))
        .setAttributes(Map.of("note", filler.toString())).build();
    PreferenceVote next = vote("next", b, a);
    MeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaClients clients = new KafkaClients(config, registry);
        ScoringService service = ScoringService.create(config, clients, registry)) {
      ByteArraySerializer bytes = new ByteArraySerializer();
      byte[] oversizeBytes = record(oversize).value();
      assertTrue(oversizeBytes.length > 2_000_000, "a 2 MB vote: " + oversizeBytes.length);
      try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap(),
          "compression.type", "gzip", "max.request.size", 4 << 20), bytes, bytes)) {
        p.send(record(oversize)).get();
        p.send(record(next)).get();
      }
      service.start();
      assertTrue(service.awaitReady(WAIT));
      Await.until(WAIT, () -> !scored("read_committed").isEmpty(), () -> "the next vote to be scored");
      assertEquals(List.of("next"), scored("read_committed").stream().map(s -> s.getVote().getVoteId()).toList());
      List<DeadLetter> letters = deadLetters();
      assertEquals(1, letters.size(), "one dead letter, for the oversize vote");
      DeadLetter letter = letters.get(0);
      assertEquals("scorer", letter.getStage());
      assertEquals(0L, letter.getOffset());
      assertEquals(oversizeBytes.length, letter.getValueSize(), "the size of the whole vote");
      assertEquals(PairIds.sha256Hex(oversizeBytes), letter.getValueSha256(), "the digest of the whole vote");
      assertTrue(letter.getTruncated());
      assertTrue(service.isLive());
    }
  }

  /**
   * A scorer instance hangs just before committing (its batch's results are on the log in an open
   * transaction) and is replaced by a new instance with the same transactional id, as after a
   * crash or a long pause. The replacement's {@code initTransactions} aborts the open transaction
   * and fences the old one, whose late commit fails: it stops, not live. The replacement reads the
   * batch again; read_committed readers see every vote exactly once.
   */
  @Test
  void aHungInstanceReplacedByANewOneLeavesNoDuplicatesAndLosesNothing() throws Exception {
    setUp(2, "zombie");
    List<PreferenceVote> first = newVotes("first", 12);
    List<PreferenceVote> second = newVotes("second", 12);
    Gate gate = new Gate();
    MeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaClients clients = new KafkaClients(config, registry)) {
      ScorerConfig sc = ScorerConfig.from(config);
      Function<String, Producer<byte[], byte[]>> gated = id -> gate.producer(clients, sc, id);
      try (ScoringService zombie = new ScoringService(sc, clients, registry,
          ScorerRegistry.fromSpecs(sc.scorers()), gated)) {
        produce(first, Map.of("undecodable", new Producing(null, new byte[] {0, 1, 2})));
        zombie.start();
        assertTrue(zombie.awaitReady(WAIT));
        KafkaReads.awaitConsumed(bootstrap(), sc.groupId(), topics.votes().name(), WAIT);
        int committedBefore = scored("read_committed").size();

        gate.arm();
        produce(second, Map.of("missing-image", badVote(missingImage())));
        assertTrue(gate.blocked.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        Await.until(WAIT, () -> scored("read_uncommitted").size() > committedBefore,
            () -> "the hung transaction's records never reached the log");

        try (ScoringService replacement = ScoringService.create(config, clients, registry)) {
          replacement.start();
          assertTrue(replacement.awaitReady(WAIT));
          gate.release.countDown();
          Await.until(WAIT, () -> !zombie.isLive(), () -> "the fenced instance is still live");
          KafkaReads.awaitConsumed(bootstrap(), sc.groupId(), topics.votes().name(), WAIT);

          List<PreferenceVote> all = new ArrayList<>(first);
          all.addAll(second);
          assertScoredOnce(all);
          assertEquals(List.of("missing-image", "undecodable"),
              deadLetters().stream().map(DeadLetter::getReason).sorted().toList());
          assertTrue(scored("read_uncommitted").size() > all.size(),
              "the aborted transaction's records are on the log, invisible to read_committed");
          assertTrue(replacement.isLive());
        }
      }
    }
  }

  private void assertScoredOnce(List<PreferenceVote> expected) {
    List<ScoredPair> scored = scored("read_committed");
    Map<String, Long> counts = scored.stream()
        .collect(Collectors.groupingBy(p -> p.getVote().getVoteId(), Collectors.counting()));
    assertEquals(expected.stream().map(PreferenceVote::getVoteId).collect(Collectors.toSet()),
        counts.keySet());
    counts.forEach((id, n) -> assertEquals(1L, n, id + " scored " + n + " times"));
    for (ScoredPair p : scored) {
      assertEquals(SCORERS, p.getScores().size());
      for (ScorerScore s : p.getScores()) {
        assertTrue(Double.isFinite(s.getScoreA()) && Double.isFinite(s.getScoreB()), s.toString());
      }
    }
  }

  private List<ScoredPair> scored(String isolation) {
    return KafkaReads.readAll(bootstrap(), topics.scored().name(), isolation).stream()
        .map(r -> topics.scored().valueSerde().deserializer().deserialize(r.topic(), r.value()))
        .toList();
  }

  private List<DeadLetter> deadLetters() {
    return KafkaReads.readAll(bootstrap(), topics.dlq().name(), "read_committed").stream()
        .map(r -> topics.dlq().valueSerde().deserializer().deserialize(r.topic(), r.value()))
        .toList();
  }

  private List<PreferenceVote> newVotes(String prefix, int n) {
    List<PreferenceVote> votes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      votes.add(vote(prefix + "-" + i, store.put(SyntheticVotes.image(random, 32)),
          store.put(SyntheticVotes.image(random, 32))));
    }
    return votes;
  }

  private static PreferenceVote vote(String id, ImageRef a, ImageRef b) {
    return SyntheticVotes.vote(id, "a small red square on a blue background", a, b, Choice.A, "u");
  }

  /** A record to produce: a vote, or raw bytes when {@code vote} is null. */
  private record Producing(PreferenceVote vote, byte[] raw) {}

  private Producing badVote(ImageRef broken) {
    ImageRef fine = store.put(SyntheticVotes.image(random, 32));
    return new Producing(vote("bad-" + broken.getUri(), fine, broken), null);
  }

  private ImageRef missingImage() {
    String sha = PairIds.sha256Hex("never stored".getBytes(StandardCharsets.UTF_8));
    return ImageRef.newBuilder().setUri("file:images/" + sha.substring(0, 2) + "/" + sha + ".png")
        .setSha256(sha).build();
  }

  /** A valid PNG with its true digest, next to the root: only confinement refuses it. */
  private ImageRef outsideRoot() throws IOException {
    byte[] png = SyntheticVotes.image(random, 32).toPng();
    Files.write(dir.resolve("outside.png"), png);
    return ImageRef.newBuilder().setUri("file:../outside.png").setSha256(PairIds.sha256Hex(png))
        .build();
  }

  /** A PNG cut after its header: the size check passes, decoding fails. */
  private ImageRef corruptPng() throws IOException {
    byte[] png = SyntheticVotes.image(random, 32).toPng();
    byte[] cut = Arrays.copyOf(png, 60);
    Path file = store.settings().roots().get(0).resolve("images/corrupt.png");
    Files.createDirectories(file.getParent());
    Files.write(file, cut);
    return ImageRef.newBuilder().setUri("file:images/corrupt.png").setSha256(PairIds.sha256Hex(cut))
        .build();
  }

  /** Produces the votes and the bad records; returns where each bad record landed, by reason. */
  private Map<String, RecordMetadata> produce(List<PreferenceVote> votes,
      Map<String, Producing> bad) throws Exception {
    var t = topics.votes();
    Map<String, RecordMetadata> where = new HashMap<>();
    ByteArraySerializer bytes = new ByteArraySerializer();
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
        Map.of("bootstrap.servers", bootstrap()), bytes, bytes)) {
      for (PreferenceVote v : votes) {
        p.send(record(v));
      }
      for (var e : bad.entrySet()) {
        Producing b = e.getValue();
        ProducerRecord<byte[], byte[]> r = b.vote() == null
            ? new ProducerRecord<>(t.name(), "garbage".getBytes(StandardCharsets.UTF_8), b.raw())
            : record(b.vote());
        where.put(e.getKey(), p.send(r).get());
      }
    }
    return where;
  }

  private ProducerRecord<byte[], byte[]> record(PreferenceVote v) {
    var t = topics.votes();
    return new ProducerRecord<>(t.name(), t.keySerde().serializer().serialize(t.name(), v.getPairId()),
        t.valueSerde().serializer().serialize(t.name(), v));
  }

  private static String bootstrap() {
    return KafkaBroker.bootstrapServers();
  }

  /** Transactional producers whose commit, once armed, waits until released. */
  private static final class Gate {
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean armed;

    void arm() {
      armed = true;
    }

    Producer<byte[], byte[]> producer(KafkaClients clients, ScorerConfig config, String id) {
      Map<String, Object> p = clients.common();
      p.putAll(ScoringService.producerSettings(config, id));
      ByteArraySerializer bytes = new ByteArraySerializer();
      KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, bytes, bytes) {
        @Override
        public void commitTransaction() {
          if (armed) {
            blocked.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          super.commitTransaction();
        }
      };
      producer.initTransactions();
      return producer;
    }
  }
}
