package dev.prefstream.launcher;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.launcher.experiment.Experiment;
import dev.prefstream.launcher.experiment.ExperimentSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prefstream experiment}: the offline experiment harness (arms on one fixed vote log). */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    description = {"Trains arms (base, human labels, oracle labels) on one fixed, seeded vote log, several seeds each,",
        "through the trainer's own code without a broker, evaluates each against the base and writes a report",
        "(results.md, index.html). Running it again on the same --dir resumes where it stopped."})
final class ExperimentCommand implements Callable<Integer> {
  @Option(names = "--preset", defaultValue = "ci", description = "ci (a few minutes) or full (under an hour on 2 cores); default ${DEFAULT-VALUE}.")
  String preset;

  @Option(names = "--dir", description = "Run directory (default: experiments/PRESET).")
  Path dir;

  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() {
    PrefstreamConfig c = config.load(ExperimentSettings.preset(preset));
    ExperimentSettings settings = ExperimentSettings.from(preset, c);
    Path run = dir != null ? dir : Path.of("experiments", preset);
    StringBuilder command = new StringBuilder("prefstream experiment --preset " + preset);
    config.settings.forEach((k, v) -> command.append(" --set ").append(k).append('=').append(v));
    String headline = new Experiment(run, settings, c).run(command.toString());
    System.out.println(headline);
    System.out.println("report: " + run.resolve("index.html").toAbsolutePath() + " (table: " + run.resolve("results.md") + ")");
    return 0;
  }
}
