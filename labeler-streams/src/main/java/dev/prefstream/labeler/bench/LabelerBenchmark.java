package dev.prefstream.labeler.bench;

import dev.prefstream.avro.ScoredPair;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.kafka.TopicProvisioner;
import dev.prefstream.labeler.LabelerConfig;
import dev.prefstream.labeler.LabelerMetrics;
import dev.prefstream.labeler.LabelerService;
import dev.prefstream.labeler.LabelerTopology;
import dev.prefstream.labeler.errors.LabelerDeadLetters;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * {@code prefstream bench labeler}: on one broker, in one run, an exactly-once pass-through topology
 * (decode each {@link ScoredPair}, encode it to another topic), the output floor (the same, to three
 * topics: as many records and bytes as the labeler writes, without its work) and the labeler process
 * the same synthetic scored pairs with the same Streams settings; prints the throughputs and, last,
 * {@code ratio: X.XX} (labeler over pass-through). Each throughput is records over the time from the
 * first to the last record processed, after an unmeasured warm-up of both topologies.
 */
public final class LabelerBenchmark {
  /**
   * What to run: how many scored pairs, the partitions of the benchmark's topics, and how many
   * measured rounds of the three topologies (the result is the median round of each).
   */
  public record Settings(int pairs, int partitions, int repeats) {
    public Settings {
      if (pairs <= 0 || partitions <= 0 || repeats <= 0) {
        throw new IllegalArgumentException("pairs, partitions and repeats must be positive");
      }
    }

    public static Settings defaults() {
      return new Settings(200_000, 6, 3);
    }
  }

  /** Throughputs in records per second. */
  public record Result(long pairs, Phase passThrough, Phase floor, Phase labeler) {
    /** The labeler over the pass-through: the headline. */
    public double ratio() {
      return labeler.perSecond() / passThrough.perSecond();
    }

    /** The output floor over the pass-through: what writing the labeler's records costs without its work. */
    public double floorRatio() {
      return floor.perSecond() / passThrough.perSecond();
    }
  }

  private static final long WARMUP_PAIRS = 100_000;
  /** Warm when the JIT compiled for less than this share of a warm-up round's wall time. */
  private static final double WARM_JIT_SHARE = 0.05;
  private static final int MAX_WARMUP_ROUNDS = 5;

  private LabelerBenchmark() {}

  /**
   * Runs against the broker of {@code kafka.bootstrap.servers}; {@code labeler.*} settings apply to
   * both topologies. Topics get a fresh prefix, state lives in a scratch directory removed after.
   */
  public static Result run(PrefstreamConfig config, Settings settings, PrintStream out) {
    String run = "bench-" + Long.toHexString(System.currentTimeMillis());
    Topics topics = new Topics(run + ".", settings.partitions());
    Topic<String, ScoredPair> passOut = new Topics(run + ".pass.", settings.partitions()).scored();
    // the output floor writes each pair three times, as the labeler writes a label, a routed pair and
    // the pair store's changelog record
    List<Topic<String, ScoredPair>> floorOut = List.of(passOut,
        new Topics(run + ".floor-b.", settings.partitions()).scored(),
        new Topics(run + ".floor-c.", settings.partitions()).scored());
    Path stateDir = scratch(run);
    try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry())) {
      List<Topic<?, ?>> all = new ArrayList<>(topics.all());
      all.addAll(floorOut);
      try (Admin admin = clients.admin()) {
        new TopicProvisioner(admin, Duration.ofSeconds(120)).provision(all);
      }
      long t = System.nanoTime();
      feed(clients, topics.scored(), settings.pairs());
      out.printf(Locale.ROOT, "fed %d scored pairs in %.1f s%n", settings.pairs(), (System.nanoTime() - t) / 1e9);

      // both topologies first run over the head of the input, unmeasured, until the JIT has little left to
      // compile: on two cores a busy C2 thread takes a third of the machine, and more from the topology
      // with more code (decision 0008)
      long warmup = Math.min(settings.pairs(), WARMUP_PAIRS);
      for (int round = 1; ; round++) {
        long compiling = compileMillis();
        long start = System.nanoTime();
        passThrough(config, clients, topics, List.of(passOut), stateDir, run + "-warmup" + round, warmup);
        labeler(config, clients, topics, stateDir, run + "-warmup" + round, warmup);
        long jit = compileMillis() - compiling;
        long wall = (System.nanoTime() - start) / 1_000_000;
        out.printf(Locale.ROOT, "warm-up %d: %d pairs through each topology in %.1f s, JIT compiling %.1f s, "
            + "not measured%n", round, warmup, wall / 1e3, jit / 1e3);
        // a run shorter than one warm-up round measures start-up anyway: one round is enough
        if (jit < wall * WARM_JIT_SHARE || round == MAX_WARMUP_ROUNDS || warmup < WARMUP_PAIRS) {
          break;
        }
      }
      // the rounds interleave the topologies, so that a slow spell of the machine does not fall on one of them
      List<Phase> passes = new ArrayList<>();
      List<Phase> floors = new ArrayList<>();
      List<Phase> labelers = new ArrayList<>();
      for (int r = 1; r <= settings.repeats(); r++) {
        String round = settings.repeats() == 1 ? "" : " [round " + r + "]";
        String id = run + "-r" + r;
        passes.add(passThrough(config, clients, topics, List.of(passOut), stateDir, id, settings.pairs()));
        out.println("pass-through (exactly-once)" + round + ": " + passes.get(r - 1).describe());
        floors.add(passThrough(config, clients, topics, floorOut, stateDir, id + "-floor", settings.pairs()));
        out.println("output floor (exactly-once, each pair to 3 topics, no labelling)" + round + ": "
            + floors.get(r - 1).describe());
        labelers.add(labeler(config, clients, topics, stateDir, id, settings.pairs()));
        out.println("labeler (exactly-once)" + round + ": " + labelers.get(r - 1).describe());
      }
      Result result = new Result(settings.pairs(), median(passes), median(floors), median(labelers));
      if (settings.repeats() > 1) {
        out.printf(Locale.ROOT, "medians of %d rounds: pass-through %.0f, output floor %.0f, labeler %.0f records/s%n",
            settings.repeats(), result.passThrough().perSecond(), result.floor().perSecond(),
            result.labeler().perSecond());
      }
      out.printf(Locale.ROOT, "output floor over pass-through: %.2f; labeler over output floor: %.2f%n",
          result.floorRatio(), result.labeler().perSecond() / result.floor().perSecond());
      out.printf(Locale.ROOT, "ratio: %.2f%n", result.ratio());
      return result;
    } finally {
      delete(stateDir);
    }
  }

  private static void feed(KafkaClients clients, Topic<String, ScoredPair> scored, int n) {
    try (KafkaProducer<String, ScoredPair> producer = clients.producerFor("bench-feed", scored)) {
      AtomicLong failed = new AtomicLong();
      AtomicReference<Exception> error = new AtomicReference<>();
      for (int i = 0; i < n; i++) {
        ScoredPair p = SyntheticPairs.pair(i);
        producer.send(new ProducerRecord<>(scored.name(), p.getVote().getPairId(), p), (md, e) -> {
          if (e != null) {
            failed.incrementAndGet();
            error.compareAndSet(null, e);
          }
        });
      }
      producer.flush();
      if (failed.get() > 0) {
        throw new IllegalStateException(failed.get() + " of " + n + " scored pairs could not be sent", error.get());
      }
    }
  }

  /** Decodes each scored pair and encodes it to every topic of {@code outs}. */
  private static Phase passThrough(PrefstreamConfig config, KafkaClients clients, Topics topics,
      List<Topic<String, ScoredPair>> outs, Path stateDir, String run, long n) {
    AtomicLong seen = new AtomicLong();
    StreamsBuilder b = new StreamsBuilder();
    Topic<String, ScoredPair> in = topics.scored();
    KStream<String, ScoredPair> pairs = b.stream(in.name(), Consumed.with(in.keySerde(), in.valueSerde())
        .withName("pass-source")).peek((k, v) -> seen.incrementAndGet(), Named.as("pass-count"));
    for (int i = 0; i < outs.size(); i++) {
      Topic<String, ScoredPair> out = outs.get(i);
      pairs.to(out.name(), Produced.with(out.keySerde(), out.valueSerde()).withName("pass-sink-" + i));
    }
    LabelerConfig lc = labelerConfig(config, run + "-pass", stateDir);
    LabelerMetrics metrics = new LabelerMetrics(new SimpleMeterRegistry());
    return measure(b.build(), streamsProps(lc, clients, topics, metrics), seen::get, n, clients, lc, in.name());
  }

  private static Phase labeler(PrefstreamConfig config, KafkaClients clients, Topics topics, Path stateDir,
      String run, long n) {
    LabelerConfig lc = labelerConfig(config, run + "-labeler", stateDir);
    LabelerMetrics metrics = new LabelerMetrics(new SimpleMeterRegistry());
    Counter votes = metrics.registry().counter("prefstream.labeler.votes.in");
    return measure(LabelerTopology.build(lc, topics, metrics), streamsProps(lc, clients, topics, metrics),
        () -> (long) votes.count(), n, clients, lc, topics.scored().name());
  }

  private static LabelerConfig labelerConfig(PrefstreamConfig config, String applicationId, Path stateDir) {
    Map<String, String> p = new HashMap<>(config.asMap());
    p.put(LabelerConfig.APPLICATION_ID, applicationId);
    p.put(LabelerConfig.STATE_DIR, stateDir.toString());
    p.putIfAbsent(LabelerConfig.SCORERS, String.join(",", SyntheticPairs.SCORERS));
    return LabelerConfig.from(p);
  }

  private static Properties streamsProps(LabelerConfig lc, KafkaClients clients, Topics topics,
      LabelerMetrics metrics) {
    Properties p = LabelerService.streamsProperties(lc, clients.common(),
        new LabelerDeadLetters(topics.dlq(), metrics));
    p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    return p;
  }

  /**
   * One topology's measured run: records per second from the first to the n-th record processed, and
   * the CPU milliseconds used by this process and by the whole machine (the broker included) over the
   * same interval, per 1000 input records; also per 1000 input records, the records and bytes its
   * producers sent over the whole run, counted once the application has committed all n.
   */
  public record Phase(double perSecond, double recordsOutPer1k, double kilobytesOutPer1k, double processCpuMsPer1k,
      double machineCpuMsPer1k, double jitMsPer1k) {
    String describe() {
      return String.format(Locale.ROOT, "%.0f records/s; per 1000 records: %.0f records and %.0f kB written, "
          + "CPU %.0f ms in this process (JIT %.1f) and %.0f ms on the machine", perSecond, recordsOutPer1k,
          kilobytesOutPer1k, processCpuMsPer1k, jitMsPer1k, machineCpuMsPer1k);
    }
  }

  private static Phase measure(Topology topology, Properties props, LongSupplier processed, long n,
      KafkaClients clients, LabelerConfig lc, String input) {
    try (KafkaStreams streams = new KafkaStreams(topology, props)) {
      streams.start();
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      long first = 0;
      CpuClock cpuAtFirst = null;
      long jitAtFirst = 0;
      while (processed.getAsLong() < n) {
        long now = System.nanoTime();
        if (first == 0 && processed.getAsLong() > 0) {
          first = now;
          cpuAtFirst = CpuClock.now();
          jitAtFirst = compileMillis();
        }
        if (now > deadline || streams.state() == KafkaStreams.State.ERROR) {
          throw new IllegalStateException("processed only " + processed.getAsLong() + " of " + n + " records, state "
              + streams.state());
        }
        sleepQuietly(2);
      }
      double seconds = (System.nanoTime() - first) / 1e9;
      double[] cpu = CpuClock.now().millisPerThousand(cpuAtFirst, n);
      double jit = (compileMillis() - jitAtFirst) * 1000.0 / n;
      // what was processed last may still sit in the producers' buffers: the output is counted once the
      // transaction holding the n-th input offset has committed, so that every record it caused was sent
      awaitCommitted(clients, lc.applicationId(), input, n, deadline);
      double[] sent = sent(streams);
      streams.close(Duration.ofSeconds(60));
      streams.cleanUp();
      return new Phase(n / seconds, sent[0] * 1000 / n, sent[1] / n, cpu[0], cpu[1], jit);
    }
  }

  /** Waits until the application's committed offsets on {@code input} add up to at least {@code n}. */
  private static void awaitCommitted(KafkaClients clients, String applicationId, String input, long n,
      long deadline) {
    try (Admin admin = clients.admin()) {
      long committed = 0;
      while (committed < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(applicationId + " committed only " + committed + " of " + n + " offsets");
        }
        sleepQuietly(20); // each poll is a request to the broker
        committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS).entrySet().stream()
            .filter(e -> e.getKey().topic().equals(input) && e.getValue() != null)
            .mapToLong(e -> e.getValue().offset()).sum();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("benchmark interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not read the committed offsets of " + applicationId, e);
    }
  }

  /** Records and bytes sent so far by the application's producers. */
  private static double[] sent(KafkaStreams streams) {
    double records = 0;
    double bytes = 0;
    for (var e : streams.metrics().entrySet()) {
      if (e.getKey().group().equals("producer-metrics") && e.getValue().metricValue() instanceof Double v) {
        switch (e.getKey().name()) {
          case "record-send-total" -> records += v;
          case "outgoing-byte-total" -> bytes += v;
          default -> { }
        }
      }
    }
    return new double[] {records, bytes};
  }

  /** The round with the median throughput (the lower middle one of an even number). */
  private static Phase median(List<Phase> rounds) {
    List<Phase> sorted = new ArrayList<>(rounds);
    sorted.sort(Comparator.comparingDouble(Phase::perSecond));
    return sorted.get((sorted.size() - 1) / 2);
  }

  /** Milliseconds the JIT compilers have spent so far, summed over compiler threads. */
  private static long compileMillis() {
    var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("benchmark interrupted", e);
    }
  }

  private static Path scratch(String run) {
    try {
      return Files.createTempDirectory(run + "-state-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) {
    try (var s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // scratch directory: leftovers are harmless
    }
  }
}
