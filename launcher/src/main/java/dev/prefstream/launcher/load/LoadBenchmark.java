package dev.prefstream.launcher.load;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.kafka.TopicProvisioner;
import dev.prefstream.labeler.LabelerService;
import dev.prefstream.schemas.JsonVotes;
import dev.prefstream.schemas.Topics;
import dev.prefstream.scorer.bench.SyntheticVotes;
import dev.prefstream.scorer.service.ScoringService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code prefstream bench load}: JSON votes at a steady rate through ingest, scorer and labeler on a
 * broker, the way a voting front end would send them. Every vote is a new pair (quorum 1: one vote
 * decides it), so each vote has exactly one decision; a consumer reading {@code prefs.labels} under
 * read_committed (what downstream sees) times each decision from the moment its vote was sent
 * (votes of the warm-up count for losses, not for latencies).
 * Reports decision latency p50/p99/max, votes lost (sent and never decided: must be 0), dead
 * letters, and heap and RSS when the services are ready and at the end. Last line:
 * {@code p99 decision latency: X ms}.
 */
public final class LoadBenchmark {
  private static final int IMAGES = 256;

  private LoadBenchmark() {}

  /**
   * Votes per second, for how long, the warm-up (votes sent in it count for losses but not for the
   * latencies: the services' first seconds, JIT and first fetches, are not the steady state), and how
   * long to wait for the last decisions.
   */
  public record Settings(double rate, Duration duration, Duration warmup, Duration drain) {
    public Settings {
      if (!(rate > 0) || duration.isNegative() || duration.isZero() || warmup.isNegative()
          || warmup.compareTo(duration) >= 0) {
        throw new IllegalArgumentException("need rate > 0, a positive duration and a warm-up shorter than it");
      }
    }
  }

  /** What a run measured; latencies in milliseconds. */
  public record Result(long sent, long decided, long lost, long deadLetters, double p50, double p99, double max,
      long heapStartMb, long heapEndMb, long rssStartMb, long rssEndMb) {}

  public static Result run(PrefstreamConfig base, Settings settings, PrintStream out) {
    Path work;
    try {
      work = Files.createTempDirectory("prefstream-load-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrefstreamConfig c = base.with(Map.of(
        "images.roots", work.resolve("images").toString(),
        "labeler.state-dir", work.resolve("state").toString(),
        "labeler.application-id", "prefstream-load-" + System.currentTimeMillis(),
        "scorer.group-id", "prefstream-load-scorer-" + System.currentTimeMillis()));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaClients clients = new KafkaClients(c, registry)) {
      Topics topics = clients.topics();
      try (var admin = clients.admin()) {
        new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(topics.all());
      }
      ImageStore store = new ImageStore(ImageStore.Settings.from(c, work.resolve("images")));
      Random random = new Random(7);
      List<ImageRef> images = new ArrayList<>(IMAGES);
      for (int i = 0; i < IMAGES; i++) {
        images.add(store.put(SyntheticVotes.image(random, 32)));
      }
      try (LabelerService labeler = new LabelerService(c, registry);
          ScoringService scorer = ScoringService.create(c, clients, registry)) {
        labeler.start();
        scorer.start();
        if (!labeler.awaitReady(Duration.ofMinutes(2)) || !scorer.awaitReady(Duration.ofMinutes(2))) {
          throw new IllegalStateException("the labeler or the scorer did not get ready");
        }
        return measure(clients, topics, images, settings, out);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    } finally {
      try (var walk = Files.walk(work)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        out.println("could not remove " + work + ": " + e.getMessage());
      }
    }
  }

  private static Result measure(KafkaClients clients, Topics topics, List<ImageRef> images, Settings settings,
      PrintStream out) throws InterruptedException {
    long heapStart = heapMb();
    long rssStart = rssMb();
    int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.ceil(settings.rate() * settings.duration().toSeconds()) + 16);
    Map<String, Long> sentAt = new ConcurrentHashMap<>(capacity);
    long[] latencies = new long[capacity];
    int[] decided = {0};
    long[] decidedAll = {0};
    long start = System.nanoTime();
    long measuredFrom = start + settings.warmup().toNanos();
    AtomicBoolean reading = new AtomicBoolean(true);
    AtomicReference<RuntimeException> readFailure = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try (KafkaConsumer<byte[], byte[]> consumer = clients.rawConsumer(null, "load-labels",
          Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
        var partitions = consumer.partitionsFor(topics.labels().name()).stream()
            .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        while (reading.get()) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
            long now = System.nanoTime();
            Long t0 = sentAt.remove(new String(r.key(), StandardCharsets.UTF_8));
            if (t0 != null) {
              synchronized (latencies) {
                decidedAll[0]++;
                if (t0 >= measuredFrom) {
                  latencies[decided[0]++] = now - t0;
                }
              }
            }
          }
        }
      } catch (RuntimeException e) {
        readFailure.set(e);
      }
    }, "load-labels-reader");
    reader.start();

    Random random = new Random(11);
    long total = (long) Math.floor(settings.rate() * settings.duration().toSeconds());
    long nextReport = start + TimeUnit.SECONDS.toNanos(10);
    long sent = 0;
    ByteArraySerializer bytes = new ByteArraySerializer();
    try (KafkaProducer<byte[], byte[]> producer = clients.producer("load-votes", bytes, bytes,
        Map.of("linger.ms", 0))) {
      while (sent < total) {
        long due = start + (long) (sent / settings.rate() * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        ImageRef a = images.get(random.nextInt(images.size()));
        ImageRef b = images.get(random.nextInt(images.size()));
        if (a.getSha256().equals(b.getSha256())) {
          continue;
        }
        // a new pair per vote: the vote's number in the prompt
        String prompt = SyntheticVotes.prompt(random) + ", take " + sent;
        PreferenceVote v = PreferenceVote.newBuilder(SyntheticVotes.vote("load-" + sent, prompt, a, b,
                random.nextBoolean() ? Choice.A : Choice.B, "u" + (sent % 1000)))
            .setTimestamp(Instant.now()).build();
        sentAt.put(v.getPairId(), System.nanoTime());
        producer.send(new ProducerRecord<>(topics.votesJson().name(), v.getPairId().getBytes(StandardCharsets.UTF_8),
            JsonVotes.toJson(v).getBytes(StandardCharsets.UTF_8)));
        sent++;
        long now = System.nanoTime();
        if (now >= nextReport) {
          int n;
          long all;
          synchronized (latencies) {
            n = decided[0];
            all = decidedAll[0];
          }
          out.printf(Locale.ROOT, "%4d s: %,d votes sent, %,d decided, p99 so far %s, heap %d MB, RSS %d MB%n",
              TimeUnit.NANOSECONDS.toSeconds(now - start), sent, all,
              n == 0 ? "(warming up)" : String.format(Locale.ROOT, "%.0f ms", percentile(latencies, n, 0.99)),
              heapMb(), rssMb());
          nextReport += TimeUnit.SECONDS.toNanos(10);
        }
      }
      producer.flush();
    }
    long drainUntil = System.nanoTime() + settings.drain().toNanos();
    while (!sentAt.isEmpty() && System.nanoTime() < drainUntil && readFailure.get() == null) {
      Thread.sleep(100);
    }
    reading.set(false);
    reader.join(10_000);
    if (readFailure.get() != null) {
      throw readFailure.get();
    }
    long deadLetters = countRecords(clients, topics.dlq().name());
    int n;
    long all;
    synchronized (latencies) {
      n = decided[0];
      all = decidedAll[0];
    }
    Result r = new Result(sent, all, sentAt.size(), deadLetters, percentile(latencies, n, 0.50),
        percentile(latencies, n, 0.99), percentile(latencies, n, 1.0), heapStart, heapMb(), rssStart, rssMb());
    out.printf(Locale.ROOT, "votes sent %,d at %.0f/s for %d s; decided %,d; lost %,d; dead letters %,d%n",
        r.sent(), settings.rate(), settings.duration().toSeconds(), r.decided(), r.lost(), r.deadLetters());
    out.printf(Locale.ROOT, "decision latency (vote sent to label readable under read_committed; the %,d votes "
        + "after the %d s warm-up): p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", n, settings.warmup().toSeconds(), r.p50(),
        r.p99(), r.max());
    out.printf(Locale.ROOT, "heap used %d MB -> %d MB; RSS %d MB -> %d MB%n", r.heapStartMb(), r.heapEndMb(),
        r.rssStartMb(), r.rssEndMb());
    out.printf(Locale.ROOT, "p99 decision latency: %.0f ms%n", r.p99());
    return r;
  }

  private static long countRecords(KafkaClients clients, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = clients.rawConsumer(null, "load-count", Map.of())) {
      var partitions = c.partitionsFor(topic).stream()
          .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
      long n = 0;
      for (var e : c.endOffsets(partitions).entrySet()) {
        n += e.getValue() - c.beginningOffsets(List.of(e.getKey())).get(e.getKey());
      }
      return n;
    }
  }

  /** The {@code q} quantile of the first {@code n} latencies, in milliseconds (NaN when none). */
  static double percentile(long[] nanos, int n, double q) {
    if (n == 0) {
      return Double.NaN;
    }
    long[] sorted;
    synchronized (nanos) {
      sorted = Arrays.copyOf(nanos, n);
    }
    Arrays.sort(sorted);
    int index = (int) Math.min(n - 1, Math.ceil(q * n) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static long heapMb() {
    Runtime rt = Runtime.getRuntime();
    return (rt.totalMemory() - rt.freeMemory()) >> 20;
  }

  /** Resident set size from /proc (Linux); -1 elsewhere. */
  private static long rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
