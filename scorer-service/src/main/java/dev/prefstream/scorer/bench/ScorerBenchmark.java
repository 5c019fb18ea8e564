package dev.prefstream.scorer.bench;

import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.kafka.LocalKafkaBroker;
import dev.prefstream.core.kafka.TopicProvisioner;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import dev.prefstream.scorer.ScorerRegistry;
import dev.prefstream.scorer.cache.ScoreCache;
import dev.prefstream.scorer.service.BatchScorer;
import dev.prefstream.scorer.service.ProcessSettings;
import dev.prefstream.scorer.service.ScorerConfig;
import dev.prefstream.scorer.service.ScorerMetrics;
import dev.prefstream.scorer.service.ScoringService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code prefstream bench scorer}: the scoring service against the same work done in-process, in one
 * run over the same votes. Each vote is on two distinct generated PNG images (written with
 * {@link ImageStore#put}), every built-in scorer runs, and the score cache is off, so neither side
 * is flattered by repeated images.
 *
 * <ul>
 *   <li>in-process: {@link BatchScorer} (image fetch, digest check, decode, every scorer) over the
 *       votes in batches of the service's batch size, after a warm-up over a slice of them; timed
 *       once before and once after the service, and the mean time taken, so that a machine whose
 *       load drifts during the run (shared CI hosts) does not favour either side;
 *   <li>service: all votes are produced first; timed from {@link ScoringService#start()} until the
 *       service's group has committed every vote, i.e. every scored pair is committed downstream.
 * </ul>
 *
 * Prints both throughputs in pairs/s and, last, {@code ratio: X.XX} (service over in-process). Runs
 * against {@code kafka.bootstrap.servers}, or a {@link LocalKafkaBroker} of its own in a temporary
 * directory when that is not set. {@code scorer.*} settings apply to the service.
 */
public final class ScorerBenchmark {
  /**
   * What to run: {@code bench.scorer.pairs} (default 20000: shorter runs are dominated by JIT compilation and scheduling noise), {@code bench.scorer.image-size} (32),
   * {@code bench.scorer.partitions} (6).
   */
  public record Settings(int pairs, int imageSize, int partitions) {
    public static Settings defaults() {
      return new Settings(20_000, 32, 6);
    }

    public static Settings from(PrefstreamConfig c) {
      Settings d = defaults();
      return new Settings(c.integer("bench.scorer.pairs", d.pairs),
          c.integer("bench.scorer.image-size", d.imageSize),
          c.integer("bench.scorer.partitions", d.partitions));
    }
  }

  /** Throughputs in pairs per second, and how many pairs the service scored. */
  public record Result(int pairs, long serviceScored, double inProcessPerSecond,
      double servicePerSecond) {
    public double ratio() {
      return servicePerSecond / inProcessPerSecond;
    }
  }

  private static final List<String> BUILTINS = ScorerConfig.DEFAULT_SCORERS;
  private static final Duration MAX_RUN = Duration.ofMinutes(10);

  private ScorerBenchmark() {}

  public static void main(String[] args) {
    PrefstreamConfig config = PrefstreamConfig.load(Map.of(), null, System.getenv(), Map.of());
    run(config, Settings.from(config), System.out);
  }

  /** Runs the benchmark and prints its report to {@code out}. */
  public static Result run(PrefstreamConfig config, Settings settings, PrintStream out) {
    Path work = scratch();
    LocalKafkaBroker broker = null;
    try {
      if (!config.has("kafka.bootstrap.servers")) {
        broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(0, work.resolve("kafka")));
        config = config.with("kafka.bootstrap.servers", broker.bootstrapServers());
      }
      return run(config, settings, work, out);
    } finally {
      if (broker != null) {
        broker.stop();
      }
      delete(work);
    }
  }

  private static Result run(PrefstreamConfig base, Settings settings, Path work, PrintStream out) {
    String prefix = "bench-scorer-" + Long.toHexString(System.currentTimeMillis()) + ".";
    PrefstreamConfig config = base.with(Map.of(
        "topics.prefix", prefix,
        "topics.partitions", String.valueOf(settings.partitions()),
        "images.roots", work.resolve("images").toString(),
        ScorerConfig.SCORERS, String.join(",", BUILTINS),
        ScorerConfig.CACHE_CAPACITY, "0",
        ScorerConfig.INSTANCE_ID, "bench",
        ScorerConfig.GROUP_ID, prefix + "scorer"));
    ScorerConfig scorerConfig = ScorerConfig.from(config);
    ProcessSettings.apply(scorerConfig);
    ImageStore store = new ImageStore(scorerConfig.images());
    long t0 = System.nanoTime();
    List<PreferenceVote> votes =
        SyntheticVotes.distinctPairs(store, settings.pairs(), settings.imageSize(), 1);
    out.printf(Locale.ROOT, "generated %d pairs of %dx%d images in %.1f s%n", votes.size(),
        settings.imageSize(), settings.imageSize(), seconds(t0));

    InProcess before = inProcess(store, votes, scorerConfig.maxBatchRecords());

    MeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaClients clients = new KafkaClients(config, registry)) {
      Topics topics = clients.topics();
      try (Admin admin = clients.admin()) {
        new TopicProvisioner(admin, Duration.ofSeconds(30))
            .provision(List.of(topics.votes(), topics.scored(), topics.dlq()));
      }
      produce(clients, topics.votes(), votes);
      double service = service(config, clients, registry, votes.size(), out);
      long scored = (long) registry.counter("prefstream.scorer.records.out").count();
      InProcess after = inProcess(store, votes, scorerConfig.maxBatchRecords());
      double inProcess = votes.size() / ((before.seconds() + after.seconds()) / 2);
      out.printf(Locale.ROOT, "in-process: %d pairs, %.0f pairs/s (%.0f before, %.0f after the"
          + " service; batches of %d, cache off)%n", votes.size(), inProcess,
          votes.size() / before.seconds(), votes.size() / after.seconds(),
          scorerConfig.maxBatchRecords());
      out.printf(Locale.ROOT, "in-process: %.2f s (%.2f s fetching images), %.2f s in scorers;"
          + " after the service: %.2f s (%.2f s), %.2f s%n", before.seconds(), before.fetching(),
          before.scoring(), after.seconds(), after.fetching(), after.scoring());
      out.printf(Locale.ROOT, "service: %d pairs, %.0f pairs/s (%d partitions, batches of %d,"
          + " exactly-once, steady state)%n", scored, service, settings.partitions(),
          scorerConfig.maxBatchRecords());
      var batches = registry.get("prefstream.scorer.batch.latency").timer();
      out.printf(Locale.ROOT, "service: %d batches of %.0f records on average, %.2f s in batches"
          + " (%.2f s fetching images), %.2f s in scorers%n", batches.count(),
          registry.get("prefstream.scorer.batch.size").summary().mean(),
          batches.totalTime(TimeUnit.SECONDS), fetching(registry),
          scoring(registry));
      Result result = new Result(votes.size(), scored, inProcess, service);
      out.printf(Locale.ROOT, "ratio: %.2f%n", result.ratio());
      return result;
    }
  }

  /** Seconds of the in-process work, and of its image fetching and its scorers. */
  private record InProcess(double seconds, double fetching, double scoring) {}

  /** The scoring work alone, timed after a warm-up over a slice of the votes. */
  private static InProcess inProcess(ImageStore store, List<PreferenceVote> votes, int batch) {
    try (ScorerRegistry registry = ScorerRegistry.fromSpecs(BUILTINS)) {
      ScoreCache off = new ScoreCache(0);
      MeterRegistry meters = new SimpleMeterRegistry();
      try (BatchScorer scorer = new BatchScorer(store, registry.newScorers(), off,
          new ScorerMetrics(meters, off))) {
        scorer.score(votes.subList(0, Math.min(votes.size(), 1000)));
        double fetching0 = fetching(meters);
        double scoring0 = scoring(meters);
        long t0 = System.nanoTime();
        long ok = 0;
        for (int i = 0; i < votes.size(); i += batch) {
          ok += scorer.score(votes.subList(i, Math.min(votes.size(), i + batch))).stream()
              .filter(BatchScorer.Outcome::ok).count();
        }
        double s = seconds(t0);
        if (ok != votes.size()) {
          throw new IllegalStateException("in-process scored " + ok + " of " + votes.size());
        }
        return new InProcess(s, fetching(meters) - fetching0, scoring(meters) - scoring0);
      }
    }
  }

  private static double fetching(MeterRegistry meters) {
    return meters.get("prefstream.scorer.image.fetch.latency").timer().totalTime(TimeUnit.SECONDS);
  }

  private static double scoring(MeterRegistry meters) {
    return meters.find("prefstream.scorer.scoring.latency").timers().stream()
        .mapToDouble(t -> t.totalTime(TimeUnit.SECONDS)).sum();
  }

  private static void produce(KafkaClients clients, Topic<String, ?> topic,
      List<PreferenceVote> votes) {
    var t = clients.topics().votes();
    ByteArraySerializer bytes = new ByteArraySerializer();
    try (KafkaProducer<byte[], byte[]> p = clients.producer("bench-votes", bytes, bytes,
        Map.of(ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 << 10))) {
      for (PreferenceVote v : votes) {
        p.send(new ProducerRecord<>(topic.name(),
            t.keySerde().serializer().serialize(topic.name(), v.getPairId()),
            t.valueSerde().serializer().serialize(topic.name(), v)));
      }
      p.flush();
    }
  }

  /**
   * Pairs per second in steady state: from the first committed batch until the group has committed
   * every vote, so the group join and transaction set-up (a one-off per process) are not counted,
   * just as the in-process side is timed after its warm-up. The start-up time is printed apart.
   *
   * <p>The end is read from the service's {@code records.in} counter, which counts a batch's votes
   * when its transaction (offsets included) has committed; the broker is asked only afterwards, to
   * confirm that the group's committed offsets reach the end of the topic. Asking the broker every
   * few milliseconds instead cost a tenth of a core (measured) on a machine the service shares.
   */
  private static double service(PrefstreamConfig config, KafkaClients clients,
      MeterRegistry registry, int pairs, PrintStream out) {
    String group = ScorerConfig.from(config).groupId();
    String votes = clients.topics().votes().name();
    try (Admin admin = clients.admin()) {
      Map<TopicPartition, Long> end = endOffsets(admin, votes);
      try (ScoringService service = ScoringService.create(config, clients, registry)) {
        long t0 = System.nanoTime();
        service.start();
        long deadline = t0 + MAX_RUN.toNanos();
        var committed = registry.counter("prefstream.scorer.records.in");
        long first = 0;
        double firstCount = 0;
        while (committed.count() < pairs) {
          check(service, deadline, pairs);
          if (first == 0 && committed.count() > 0) {
            first = System.nanoTime();
            firstCount = committed.count();
          }
          TimeUnit.MILLISECONDS.sleep(1);
        }
        long last = System.nanoTime();
        while (!consumed(admin, group, end)) {
          check(service, deadline, pairs);
          TimeUnit.MILLISECONDS.sleep(20);
        }
        if (first == 0 || firstCount >= pairs) {
          return pairs / ((last - t0) / 1e9);
        }
        out.printf(Locale.ROOT, "service start-up (group join, transactions, first batch): %.2f s%n",
            (first - t0) / 1e9);
        return (pairs - firstCount) / ((last - first) / 1e9);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read offsets: " + e.getMessage(), e);
    }
  }

  private static void check(ScoringService service, long deadline, int pairs) {
    if (!service.isLive() || System.nanoTime() > deadline) {
      throw new IllegalStateException("the service did not score " + pairs + " pairs");
    }
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic)
      throws InterruptedException, ExecutionException {
    int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
        .partitions().size();
    Map<TopicPartition, OffsetSpec> latest = Stream.iterate(0, i -> i + 1).limit(partitions)
        .collect(Collectors.toMap(i -> new TopicPartition(topic, i), i -> OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private static boolean consumed(Admin admin, String group, Map<TopicPartition, Long> end)
      throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
        && committed.get(e.getKey()).offset() >= e.getValue());
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static Path scratch() {
    try {
      return Files.createTempDirectory("prefstream-bench-scorer-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: leftovers are harmless
    }
  }
}
