package dev.prefstream.launcher;

import dev.prefstream.trainer.TrainerService;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code prefstream trainer}: continuous Diffusion-DPO on the labelled stream. */
@Command(name = "trainer", mixinStandardHelpOptions = true,
    description = {"Trains the model continuously with Diffusion-DPO and publishes versions.",
        "Reads prefs.clean (and prefs.relabeled, prefs.conflicting per trainer.feeds), checkpoints,",
        "and publishes a model version every trainer.steps-per-version steps."})
final class TrainerCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    return ServiceRunner.run("trainer", config, t -> List.of(t.clean(), t.relabeled(), t.conflicting(), t.modelVersions(), t.dlq()),
        (cfg, clients, registry) -> TrainerService.create(cfg, clients));
  }
}
