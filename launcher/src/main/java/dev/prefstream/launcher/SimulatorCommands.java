package dev.prefstream.launcher;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.sim.eval.EvaluationConfig;
import dev.prefstream.sim.eval.EvaluationResult;
import dev.prefstream.sim.eval.Evaluator;
import dev.prefstream.sim.eval.ModelImageSource;
import dev.prefstream.sim.feed.Feeder;
import dev.prefstream.sim.feed.FeederConfig;
import dev.prefstream.sim.feed.VoteReplayer;
import dev.prefstream.sim.pretrain.BaseModel;
import dev.prefstream.sim.pretrain.PretrainConfig;
import dev.prefstream.sim.pretrain.PretrainResult;
import dev.prefstream.sim.pretrain.Pretrainer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The built-in world's commands: pretrain, feed, eval. */
final class SimulatorCommands {
  private SimulatorCommands() {}

  static Path modelsRoot(PrefstreamConfig c) {
    return Path.of(c.string("models.root", "data/models"));
  }

  @Command(name = "pretrain", mixinStandardHelpOptions = true,
      description = {"Pretrains the base model on defective renders and publishes it as version 0.",
          "Seeded and reproducible (pretrain.* settings); the repository ships the result, so the demo",
          "never waits for this. --install instead copies the shipped base model into the store."})
  static final class Pretrain implements Callable<Integer> {
    @Option(names = "--install", description = "Install the shipped base model (digest-checked) instead of training.")
    boolean install;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
      PrefstreamConfig c = config.load(Map.of());
      ModelStore store = new ModelStore(modelsRoot(c));
      if (install) {
        ModelStore.Stored v0 = BaseModel.install(store);
        System.out.println("installed " + v0.dir());
        return 0;
      }
      PretrainResult r = new Pretrainer(PretrainConfig.from(c), true).run(store);
      System.out.println(r);
      return 0;
    }
  }

  @Command(name = "feed", mixinStandardHelpOptions = true,
      description = {"Produces votes from simulated voters, or replays a file of votes.",
          "Simulated voters vote on pairs sampled from the latest model version; with --replay FILE, the",
          "JSON votes of a JSONL file are sent to prefs.votes.json."})
  static final class Feed implements Callable<Integer> {
    @Option(names = "--replay", paramLabel = "FILE", description = "Send the votes of a JSONL file instead of simulating.")
    Path replay;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
      PrefstreamConfig c = config.load(Map.of());
      var t = KafkaClients.topicsOf(c);
      if (replay != null) {
        try (KafkaClients clients = new KafkaClients(c, new SimpleMeterRegistry())) {
          VoteReplayer.Result r = new VoteReplayer(clients).replay(replay);
          System.out.printf("sent %d votes, %d invalid lines%n", r.sent(), r.invalid());
          r.badLines().stream().limit(20).forEach(b -> System.out.printf("  line %d: %s%n", b.lineNumber(), b.reason()));
          return 0;
        }
      }
      return ServiceRunner.run("feeder", c, List.of(t.votes(), t.modelVersions()), (cfg, clients, registry) ->
          new Feeder(FeederConfig.from(cfg), clients, new ModelStore(modelsRoot(cfg)),
              new ImageStore(ImageStore.Settings.from(cfg, Path.of("data"))), Clock.systemUTC()));
    }
  }

  @Command(name = "eval", mixinStandardHelpOptions = true,
      description = {"Evaluates a model version against a base on held-out prompts x fixed seeds.",
          "Per-metric strict win rates (each scorer, each oracle dimension, oracle overall) with 95%%",
          "bootstrap confidence intervals over prompts (eval.* settings)."})
  static final class Eval implements Callable<Integer> {
    @Option(names = "--version", required = true, description = "The candidate version.")
    int version;

    @Option(names = "--base", defaultValue = "0", description = "The baseline version (default ${DEFAULT-VALUE}).")
    int base;

    @Option(names = "--model", defaultValue = "unet", description = "Model name (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--ddim-steps", defaultValue = "20", description = "DDIM steps (default ${DEFAULT-VALUE}).")
    int ddimSteps;

    @Option(names = "--guidance", defaultValue = "3.0", description = "Guidance scale (default ${DEFAULT-VALUE}).")
    float guidance;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
      PrefstreamConfig c = config.load(Map.of());
      ModelStore store = new ModelStore(modelsRoot(c));
      try (ModelImageSource candidate = ModelImageSource.fromStore(store, model, version, ddimSteps, guidance);
          ModelImageSource baseline = ModelImageSource.fromStore(store, model, base, ddimSteps, guidance)) {
        EvaluationResult r = new Evaluator(EvaluationConfig.from(c)).evaluate(candidate, baseline);
        System.out.printf("v%d against v%d: %d prompts x %d seeds%n", version, base, r.prompts(), r.seedsPerPrompt());
        System.out.println(r.table());
      }
      return 0;
    }
  }
}
