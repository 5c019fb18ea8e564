package dev.prefstream.launcher.experiment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefstream.avro.Side;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageException;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.store.StoredUNet;
import dev.prefstream.diffusion.train.DpoStepResult;
import dev.prefstream.diffusion.train.PreferencePair;
import dev.prefstream.labeler.voting.Holdout;
import dev.prefstream.sim.eval.EvaluationResult;
import dev.prefstream.sim.eval.MetricResult;
import dev.prefstream.sim.pretrain.BaseModel;
import dev.prefstream.trainer.OfflineTraining;
import dev.prefstream.trainer.TrainerConfig;
import dev.prefstream.trainer.TrainingPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One trained run: an arm's labels, one training seed, the trainer's own session and buffer
 * ({@link OfflineTraining}), an evaluation against the base every {@code eval-every} steps. Everything
 * lives in the run's directory: the model store (checkpoints and versions), {@code train.jsonl} (one
 * line per step) and {@code evals/step-N.json}. A run killed at any point resumes from its last
 * checkpoint, which is written right after each evaluation, and repeats no finished evaluation.
 */
final class ArmRun {
  static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  static final int SAMPLES_KEPT = 8;

  /** One metric of one evaluation. */
  record Metric(double rate, double low, double high, double ties, double meanDelta, int[] winsPerPrompt) {
    static Metric of(MetricResult m) {
      return new Metric(m.winRate(), m.ciLow(), m.ciHigh(), m.tieRate(), m.meanDelta(), m.winsPerPrompt());
    }
  }

  /** What one evaluation of one run recorded. */
  record Eval(String arm, long seed, int step, int version, int prompts, int seedsPerPrompt,
      Map<String, Metric> metrics, Map<String, Double> holdout, double meanLoss, double meanAccuracy) {}

  /** One training step. */
  record Step(long step, double loss, double accuracy, double margin, double gradNorm) {}

  private final Arm arm;
  private final long seed;
  private final Path dir;
  private final ExperimentSettings settings;
  private final VoteLog log;
  private final Path baseSamples;

  ArmRun(Arm arm, long seed, Path dir, ExperimentSettings settings, VoteLog log, Path baseSamples) {
    this.baseSamples = baseSamples;
    this.arm = arm;
    this.seed = seed;
    this.dir = dir;
    this.settings = settings;
    this.log = log;
  }

  String name() {
    return arm.configName() + " s" + seed;
  }

  boolean finished() {
    return settings.evalSteps().stream().allMatch(s -> Files.exists(evalFile(s)));
  }

  List<Eval> evals() {
    List<Eval> out = new ArrayList<>();
    for (int s : settings.evalSteps()) {
      Path f = evalFile(s);
      if (Files.exists(f)) {
        try {
          out.add(JSON.readValue(f.toFile(), Eval.class));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + f, e);
        }
      }
    }
    return out;
  }

  List<Step> steps() {
    Path f = dir.resolve("train.jsonl");
    List<Step> out = new ArrayList<>();
    if (!Files.exists(f)) {
      return out;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        out.add(JSON.readValue(lines.get(i), Step.class));
      } catch (IOException e) {
        if (i < lines.size() - 1) {
          throw new UncheckedIOException("cannot read line " + (i + 1) + " of " + f, e);
        }
        // a line cut by a kill: the step is trained again after the checkpoint
      }
    }
    return out;
  }

  Path samplesDir(int step) {
    return dir.resolve("samples").resolve("step-" + step);
  }

  /** Trains and evaluates until the last evaluation step; returns at once when already finished. */
  void run(Evaluations evaluations) {
    if (finished()) {
      return;
    }
    try {
      Files.createDirectories(dir.resolve("evals"));
      ModelStore store = new ModelStore(dir.resolve("models"));
      if (store.latestVersion(StoredUNet.DEFAULT_MODEL).isEmpty()) {
        BaseModel.install(store);
      }
      TrainerConfig config = TrainerConfig.from(PrefstreamConfig.of(trainerSettings()));
      try (OfflineTraining training = OfflineTraining.open(config, store)) {
        if (training.resumed()) {
          System.out.printf(Locale.ROOT, "%s: resuming from its checkpoint at step %d of %d%n", name(), training.steps(),
              settings.steps());
        }
        train(training, store, evaluations);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("run " + name() + " in " + dir, e);
    }
  }

  private void train(OfflineTraining training, ModelStore store, Evaluations evaluations) throws IOException {
    List<Labelled> labelled = labelled();
    if (labelled.stream().allMatch(Labelled::heldOut)) {
      throw new IllegalStateException(arm + " labels no pair of the log: nothing to train on");
    }
    // the pairs that had arrived by the checkpoint, in log order, as the service re-reads its topics
    int arrived = 0;
    keepSteps(training.steps());
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "%-10s", name()))
        .setInitialMax(settings.steps()).setStyle(ProgressBarStyle.ASCII).continuousUpdate().build()) {
      bar.stepTo(training.steps());
      while (training.steps() < settings.steps()) {
        for (int n = settings.arrived(training.steps(), labelled.size()); arrived < n; arrived++) {
          Labelled l = labelled.get(arrived);
          training.put(new TrainingPair(l.id(), l.pair(), null), l.heldOut());
        }
        DpoStepResult r = training.step();
        appendStep(new Step(r.step(), r.loss(), r.implicitAccuracy(), r.rewardMargin(), r.gradNorm()));
        bar.stepTo(training.steps());
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f acc %.2f", r.loss(), r.implicitAccuracy()));
        int step = (int) training.steps();
        if (step % settings.evalEvery() == 0) {
          if (!Files.exists(evalFile(step))) {
            bar.setExtraMessage("evaluating step " + step);
            evaluate(training, store, evaluations, step);
          }
          training.checkpoint();
        }
      }
    }
  }

  private Map<String, String> trainerSettings() {
    Map<String, String> s = new TreeMap<>(settings.trainer());
    s.put("trainer.seed", String.valueOf(seed));
    s.put("models.root", dir.resolve("models").toString());
    s.put("trainer.buffer.capacity", String.valueOf(Math.max(64, log.pairs().size())));
    s.put("trainer.holdout.capacity", String.valueOf(Math.max(1, log.pairs().size())));
    s.put("trainer.buffer.min", "1");
    return s;
  }

  /** A pair of the log as this arm labels it (winner first), and whether it is held out. */
  private record Labelled(String id, PreferencePair pair, boolean heldOut) {}

  /** Every pair of the log this arm labels, in log order. */
  private List<Labelled> labelled() {
    ImageStore images = log.images();
    List<Labelled> out = new ArrayList<>();
    for (VoteLog.LoggedPair p : log.pairs()) {
      Side label = arm.label(p);
      if (label == Side.ABSTAIN) {
        continue;
      }
      RgbImage a = load(images, p, true);
      RgbImage b = load(images, p, false);
      PreferencePair pair = label == Side.A ? new PreferencePair(a, b, p.prompt()) : new PreferencePair(b, a, p.prompt());
      out.add(new Labelled(p.pairId(), pair, Holdout.isHoldout(p.pairId(), settings.holdoutShare())));
    }
    return out;
  }

  private static RgbImage load(ImageStore images, VoteLog.LoggedPair p, boolean first) {
    try {
      return images.load(first ? p.imageA() : p.imageB());
    } catch (ImageException e) {
      throw new IllegalStateException("vote log image of pair " + p.pairId() + " is unreadable", e);
    }
  }

  private void evaluate(OfflineTraining training, ModelStore store, Evaluations evaluations, int step)
      throws IOException {
    Map<String, Double> holdout = training.evaluateHoldout();
    int version = training.publish(holdout);
    EvaluationResult r = evaluations.evaluate(store, StoredUNet.DEFAULT_MODEL, version);
    Map<String, Metric> metrics = new LinkedHashMap<>();
    for (MetricResult m : r.metrics()) {
      metrics.put(m.metric(), Metric.of(m));
    }
    List<Step> recent = steps().stream().filter(s -> s.step() > step - settings.evalEvery() && s.step() <= step).toList();
    double loss = recent.stream().mapToDouble(Step::loss).average().orElse(Double.NaN);
    double accuracy = recent.stream().mapToDouble(Step::accuracy).average().orElse(Double.NaN);
    Path samples = samplesDir(step);
    Files.createDirectories(samples);
    Files.createDirectories(baseSamples);
    for (int i = 0; i < Math.min(SAMPLES_KEPT, r.samples().size()); i++) {
      Files.write(samples.resolve(i + ".png"), r.samples().get(i).candidate().toPng());
      Path base = baseSamples.resolve(i + ".png");
      if (!Files.exists(base)) {
        Files.write(base, r.samples().get(i).base().toPng());
      }
    }
    Eval eval = new Eval(arm.configName(), seed, step, version, r.prompts(), r.seedsPerPrompt(), metrics, holdout,
        loss, accuracy);
    Path tmp = evalFile(step).resolveSibling("step-" + step + ".json.tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), eval);
    Files.move(tmp, evalFile(step), StandardCopyOption.ATOMIC_MOVE);
  }

  private Path evalFile(int step) {
    return dir.resolve("evals").resolve("step-" + step + ".json");
  }

  /** Drops step lines past the checkpoint resumed from (they will be trained again). */
  private void keepSteps(long upTo) throws IOException {
    List<Step> kept = steps().stream().filter(s -> s.step() <= upTo).toList();
    List<String> lines = new ArrayList<>();
    for (Step s : kept) {
      lines.add(JSON.writeValueAsString(s));
    }
    Files.write(dir.resolve("train.jsonl"), lines, StandardCharsets.UTF_8);
  }

  private void appendStep(Step s) throws IOException {
    Files.writeString(dir.resolve("train.jsonl"), JSON.writeValueAsString(s) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
