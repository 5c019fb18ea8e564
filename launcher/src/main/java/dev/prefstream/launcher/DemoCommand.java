package dev.prefstream.launcher;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.kafka.BrokerProbe;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.kafka.LocalKafkaBroker;
import dev.prefstream.core.kafka.TopicProvisioner;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.core.service.Health;
import dev.prefstream.core.service.HttpEndpoint;
import dev.prefstream.core.service.Metrics;
import dev.prefstream.core.service.Service;
import dev.prefstream.labeler.LabelerService;
import dev.prefstream.launcher.demo.DemoProgress;
import dev.prefstream.launcher.demo.DemoRecords;
import dev.prefstream.launcher.demo.DemoReport;
import dev.prefstream.launcher.demo.VersionEvaluator;
import dev.prefstream.scorer.service.ScoringService;
import dev.prefstream.sim.eval.EvaluationConfig;
import dev.prefstream.sim.feed.Feeder;
import dev.prefstream.sim.feed.FeederConfig;
import dev.prefstream.sim.pretrain.BaseModel;
import dev.prefstream.trainer.TrainerService;
import dev.prefstream.trainer.relabel.Relabeler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code prefstream demo}: the whole loop on one machine. A real Kafka broker (child JVM), the
 * scorer, labeler, trainer and relabeler, and simulated voters feeding votes on pairs sampled from
 * the latest model version; each new version is evaluated against the base on held-out prompts.
 * Live progress on the terminal, metrics on the HTTP endpoint, a report with plots at the end.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Runs the whole loop locally and writes a report.",
        "A local broker, all services and simulated voters in one process.",
        "Stops after --duration or Ctrl-C, then writes --out/index.html with plots and sample images."})
final class DemoCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

  @Option(names = "--duration", defaultValue = "13m", description = "How long to run (default ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--out", defaultValue = "demo-out", description = "Report directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--work-dir", defaultValue = ".prefstream/demo",
      description = "Broker data, model store, images and state; each run gets a fresh subdirectory (default ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--metrics-port", defaultValue = "8080", description = "Metrics and health port, 0 for any (default ${DEFAULT-VALUE}).")
  int metricsPort;

  @Mixin
  ConfigOptions config;

  /** The demo's settings; any can be overridden with --set or --config. */
  static Map<String, String> defaults(Path run) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("topics.partitions", "3");
    d.put("models.root", run.resolve("models").toString());
    d.put("images.roots", run.resolve("images").toString());
    d.put("labeler.state-dir", run.resolve("state").toString());
    // the built-in scorers barely agree with the simulated humans (~50%); weighted voting learns that
    // and follows the humans, where majority lets the scorers outvote them (docs/decisions/0007)
    d.put("labeler.policy", "weighted");
    d.put("trainer.feeds", "clean,relabeled");
    // a version every 200 steps of 8 pairs: below ~3,000 pair-samples what DPO learns from a few
    // hundred pairs is mostly which pairs they were, so early versions land either side of the base
    // (docs/decisions/0013); on 2 cores v1 comes 5.5-6.5 min in, v2 11-12 min in, hence 13 minutes
    d.put("trainer.steps-per-version", "200");
    d.put("trainer.checkpoint-every", "100");
    d.put("trainer.buffer.min", "32");
    d.put("trainer.lr", "1e-5");
    d.put("trainer.progress-interval", "30s");
    d.put("relabel.every-versions", "2");
    d.put("relabel.max-pairs", "128");
    // the feeder's sampling is the demo's largest CPU user; 0.6 pairs/s gives the trainer ~350 pairs
    // in 12 min and leaves it the CPU for ~400 steps (at 2 pairs/s it reached ~180)
    d.put("feeder.rate", "0.6");
    d.put("feeder.votes-per-pair", "3");
    d.put("eval.prompts", "64");
    // the base's 64 images are sampled once, at the start (VersionEvaluator); each version then costs
    // its own 64. Two seeds per prompt would narrow the interval by ~1/sqrt(2) but cost v1 twice the
    // CPU, taken from the trainer (measured: v2 no longer reached in 12 min; decision 0013)
    d.put("eval.seeds", "1");
    d.put("eval.bootstrap", "1000");
    return d;
  }

  @Override
  public Integer call() throws Exception {
    Duration length = PrefstreamConfig.parseDuration(duration);
    Path run = workDir.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    PrefstreamConfig c = config.load(defaults(run));
    System.out.printf("prefstream demo: %s, work directory %s, report to %s%n", duration, run, out);

    try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(0, run.resolve("kafka")))) {
      c = c.with("kafka.bootstrap.servers", broker.bootstrapServers());
      LOG.info("demo configuration:\n{}", c.describe());
      PrometheusMeterRegistry registry = Metrics.prometheus("prefstream-demo");
      try (KafkaClients clients = new KafkaClients(c, registry);
          BrokerProbe brokers = Health.probe(c, clients.admin());
          HttpEndpoint http = HttpEndpoint.start("127.0.0.1", metricsPort, registry, Health.from(c, brokers))) {
        System.out.printf("Kafka at %s; metrics at %s/metrics%n", broker.bootstrapServers(), http.url());
        try (var admin = clients.admin()) {
          new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(clients.topics().all());
        }
        ModelStore models = new ModelStore(Path.of(c.required("models.root")));
        ModelStore.Stored base = BaseModel.install(models);
        String model = base.manifest().model();
        FeederConfig feederConfig = FeederConfig.from(c);
        EvaluationConfig evalConfig = EvaluationConfig.from(c);
        ImageStore images = new ImageStore(ImageStore.Settings.from(c, run.resolve("images")));

        LabelerService labeler = new LabelerService(c, registry);
        ScoringService scorer = ScoringService.create(c, clients, registry);
        TrainerService trainer = TrainerService.create(c, clients);
        Relabeler relabeler = Relabeler.create(c, clients);
        Feeder feeder = new Feeder(feederConfig, clients, models, images, Clock.systemUTC());
        List<Service> services = List.of(labeler, scorer, trainer, relabeler, feeder);
        services.forEach(http::register);
        DemoProgress progress = new DemoProgress(registry, trainer, relabeler);
        try (var evaluator = new VersionEvaluator(models, model, evalConfig,
            feederConfig.ddimSteps(), feederConfig.guidanceScale())) {
          Thread stopper = new Thread(progress::stop, "demo-stop");
          Runtime.getRuntime().addShutdownHook(stopper);
          try {
            for (Service s : services) {
              s.start();
            }
            evaluator.start();
            progress.run(length, evaluator, services);
          } finally {
            LOG.info("stopping services");
            for (Service s : List.of(feeder, scorer, labeler, relabeler, trainer)) {
              s.close();
            }
            removeHook(stopper);
          }
          evaluator.finish();
          try {
            Path report = DemoReport.write(report(c, length, progress, evaluator, relabeler), out);
            System.out.printf("%nReport: %s%n", report.toAbsolutePath());
            progress.printSummary(evaluator);
          } finally {
            progress.done();
          }
        }
      }
    }
    return 0;
  }

  private static DemoRecords.Run report(PrefstreamConfig c, Duration length, DemoProgress progress,
      VersionEvaluator evaluator, Relabeler relabeler) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("duration", length.toString());
    for (String k : List.of("labeler.policy", "trainer.feeds", "trainer.lr", "trainer.beta", "trainer.steps-per-version",
        "feeder.rate", "feeder.votes-per-pair", "eval.prompts", "eval.seeds")) {
      if (c.has(k)) {
        settings.put(k, c.string(k, ""));
      }
    }
    Map<String, Double> precision = new LinkedHashMap<>();
    precision.put("held-out humans", relabeler.holdoutPrecision());
    precision.put("simulator truth", relabeler.truthPrecision());
    List<String> notes = new ArrayList<>();
    notes.add(progress.firstBetter(evaluator.results()));
    notes.add("Label noise of the simulated votes (share disagreeing with the population's true preference): "
        + String.format(java.util.Locale.ROOT, "%.3f", progress.labelNoise()));
    return new DemoRecords.Run("prefstream demo", settings, progress.timeline(), progress.scorerAgreement(),
        precision, evaluator.results(), evaluator.baseSamples(), notes);
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
  }
}
