package dev.prefstream.launcher;

import dev.prefstream.trainer.relabel.Relabeler;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code prefstream relabel}: Semi-DPO pseudo-labels from each new model version. */
@Command(name = "relabel", mixinStandardHelpOptions = true,
    description = {"Relabels conflicting pairs with each new model version (Semi-DPO).",
        "Scores conflicting pairs with the implicit classifier at the anchor timesteps and publishes",
        "confident pseudo-labels on prefs.pseudo-labels (every relabel.every-versions versions)."})
final class RelabelCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    return ServiceRunner.run("relabeler", config, t -> List.of(t.conflicting(), t.clean(), t.modelVersions(), t.pseudoLabels(), t.dlq()),
        (cfg, clients, registry) -> Relabeler.create(cfg, clients));
  }
}
