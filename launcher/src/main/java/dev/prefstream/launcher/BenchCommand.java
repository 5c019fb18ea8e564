package dev.prefstream.launcher;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.LocalKafkaBroker;
import dev.prefstream.diffusion.bench.DpoBenchmark;
import dev.prefstream.labeler.bench.LabelerBenchmark;
import dev.prefstream.launcher.load.LoadBenchmark;
import dev.prefstream.scorer.bench.ScorerBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prefstream bench}: the speed targets, each measured against its baseline in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks; each ends with its headline ratio.",
    subcommands = {BenchCommand.Labeler.class, BenchCommand.Scorer.class, BenchCommand.Trainer.class,
        BenchCommand.Load.class})
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * Runs {@code body} against the configured broker, or, when none is configured, against a local
   * broker started for the run in a temporary directory.
   */
  static <T> T withBroker(PrefstreamConfig config, Function<PrefstreamConfig, T> body) throws Exception {
    if (config.has("kafka.bootstrap.servers")) {
      return body.apply(config);
    }
    Path dir = Files.createTempDirectory("prefstream-bench-kafka-");
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(0, dir).withHeap("1g"))) {
      System.out.println("started a local broker at " + broker.bootstrapServers() + " for this run");
      return body.apply(config.with("kafka.bootstrap.servers", broker.bootstrapServers()));
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Command(name = "labeler", mixinStandardHelpOptions = true,
      description = {"The labeler against an exactly-once pass-through topology on the same broker and pairs,",
          "with the output floor (the labeler's three records per pair written without its work).",
          "Last line: ratio: X.XX (labeler over pass-through; target 0.7 or more)."})
  static final class Labeler implements Callable<Integer> {
    @Option(names = "--pairs", defaultValue = "200000", description = "Scored pairs (default ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--repeats", defaultValue = "3",
        description = "Measured rounds of the three topologies; the ratio is of medians (default ${DEFAULT-VALUE}).")
    int repeats;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
      withBroker(config.load(Map.of()),
          c -> LabelerBenchmark.run(c, new LabelerBenchmark.Settings(pairs, partitions, repeats), System.out));
      return 0;
    }
  }

  @Command(name = "scorer", mixinStandardHelpOptions = true,
      description = {"The scoring service on a local broker against the same work in-process without Kafka.",
          "Distinct images, cache off, built-in scorers. Last line: ratio: X.XX (service over in-process; target 0.8)."})
  static final class Scorer implements Callable<Integer> {
    @Option(names = "--pairs", defaultValue = "20000", description = "Votes (default ${DEFAULT-VALUE}).")
    int pairs;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
      PrefstreamConfig c = config.load(Map.of()).with("bench.scorer.pairs", String.valueOf(pairs));
      ScorerBenchmark.run(c, ScorerBenchmark.Settings.from(c), System.out);
      return 0;
    }
  }

  @Command(name = "trainer", mixinStandardHelpOptions = true,
      description = {"Diffusion-DPO steps/s and pairs/s at batch 8 and 16, achieved GFLOP/s against the machine's",
          "conv2d forward+backward peak measured in the same run, and RSS at steps 50 and 500.",
          "Last line: fraction of peak: X.XX (batch 8; target 0.5 or more)."})
  static final class Trainer implements Callable<Integer> {
    @Option(names = "--timed-steps", defaultValue = "20", description = "Timed steps per batch size (default ${DEFAULT-VALUE}).")
    int timedSteps;

    @Option(names = "--late-rss-step", defaultValue = "500", description = "Step of the second RSS reading (default ${DEFAULT-VALUE}).")
    int lateStep;

    @Override
    public Integer call() {
      DpoBenchmark.Settings d = DpoBenchmark.Settings.defaults();
      DpoBenchmark.Settings s = new DpoBenchmark.Settings(d.model(), d.batches(), d.warmupSteps(), timedSteps,
          d.rssEarlyStep(), lateStep, d.peakIterations());
      System.out.println(DpoBenchmark.run(s).report());
      return 0;
    }
  }

  @Command(name = "load", mixinStandardHelpOptions = true,
      description = {"JSON votes at a steady rate through ingest, scorer and labeler on a broker (a local one unless",
          "kafka.bootstrap.servers is set): decision latency p50/p99, votes lost, dead letters, heap and RSS.",
          "Last line: p99 decision latency: X ms (target: below 200 ms, nothing lost, memory flat)."})
  static final class Load implements Callable<Integer> {
    @Option(names = "--rate", defaultValue = "1000", description = "Votes per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "10m", description = "How long to send (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup", defaultValue = "30s",
        description = "First seconds whose votes count for losses but not for latencies (default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--drain", defaultValue = "60s",
        description = "How long to wait for the last decisions (default ${DEFAULT-VALUE}).")
    String drain;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
      LoadBenchmark.Settings s = new LoadBenchmark.Settings(rate, PrefstreamConfig.parseDuration(duration),
          PrefstreamConfig.parseDuration(warmup), PrefstreamConfig.parseDuration(drain));
      LoadBenchmark.Result r = withBroker(config.load(Map.of()), c -> LoadBenchmark.run(c, s, System.out));
      return r.lost() == 0 ? 0 : 1;
    }
  }
}
