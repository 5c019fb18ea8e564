package dev.prefstream.launcher.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.store.StoredUNet;
import dev.prefstream.sim.eval.EvaluationConfig;
import dev.prefstream.sim.pretrain.BaseModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * An offline experiment: one vote log, then every arm's runs (one per training seed) through the
 * trainer's own code, evaluated against the base on held-out prompts, then the report. The run
 * directory holds everything; running the same command on it again resumes where it stopped
 * (settings must match: {@code settings.json}).
 *
 * <pre>
 * run/settings.json          the settings the directory was started with
 * run/base/                  the shipped base model as version 0
 * run/log/                   pairs.jsonl and the images of the vote log
 * run/arms/ARM-sSEED/        each run's model store, train.jsonl, evals/, samples/
 * run/base-samples/          the base's first evaluation images
 * run/results.md, index.html and the pictures
 * </pre>
 */
public final class Experiment {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final ExperimentSettings settings;
  private final PrefstreamConfig config;

  public Experiment(Path dir, ExperimentSettings settings, PrefstreamConfig config) {
    this.dir = dir;
    this.settings = settings;
    this.config = config;
  }

  /** Runs (or resumes) everything and writes the report; returns the report's headline. */
  public String run(String command) {
    try {
      Files.createDirectories(dir);
      checkSettings();
      ModelStore baseStore = new ModelStore(dir.resolve("base"));
      BaseModel.install(baseStore);
      VoteLog log;
      try (ProgressBar bar = bar("vote log", settings.pairs())) {
        log = VoteLog.openOrGenerate(dir.resolve("log"), settings, baseStore, bar::stepTo);
        bar.stepTo(settings.pairs());
      }
      Map<Arm, List<ArmRun>> runs = new LinkedHashMap<>();
      Path baseSamples = dir.resolve("base-samples");
      for (Arm arm : settings.trainedArms()) {
        List<ArmRun> mine = new ArrayList<>();
        for (long seed : settings.seeds()) {
          mine.add(new ArmRun(arm, seed, dir.resolve("arms").resolve(arm.configName() + "-s" + seed), settings, log,
              baseSamples));
        }
        runs.put(arm, mine);
      }
      EvaluationConfig evaluation = EvaluationConfig.from(config);
      try (Evaluations evaluations = new Evaluations(evaluation,
          StoredUNet.load(baseStore.version(StoredUNet.DEFAULT_MODEL, 0)))) {
        for (List<ArmRun> mine : runs.values()) {
          for (ArmRun run : mine) {
            run.run(evaluations);
          }
        }
      }
      ExperimentReport.write(dir, settings, log, runs, baseSamples, command);
      return ExperimentReport.headline(ExperimentReport.rows(settings, runs));
    } catch (IOException e) {
      throw new UncheckedIOException("experiment in " + dir, e);
    }
  }

  /** A directory keeps the settings it was started with: resuming with others would mix results. */
  private void checkSettings() throws IOException {
    Path file = dir.resolve("settings.json");
    String mine = JSON.writeValueAsString(settings);
    if (Files.exists(file)) {
      // compared as JSON trees: the same settings, whatever the order of their keys
      if (!JSON.readTree(file.toFile()).equals(JSON.readTree(mine))) {
        throw new IllegalArgumentException(dir + " holds an experiment with other settings (" + file
            + "); use another --dir or the same settings");
      }
    } else {
      Files.writeString(file, mine);
    }
  }

  private static ProgressBar bar(String name, int max) {
    return new ProgressBarBuilder().setTaskName(String.format(java.util.Locale.ROOT, "%-10s", name))
        .setInitialMax(max).setStyle(ProgressBarStyle.ASCII).continuousUpdate().build();
  }
}
