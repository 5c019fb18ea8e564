package dev.prefstream.launcher;

import dev.prefstream.labeler.LabelerService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code prefstream labeler}: the Kafka Streams labeler. */
@Command(name = "labeler", mixinStandardHelpOptions = true,
    description = {"Labels pairs by vote and routes them to clean or conflicting (Kafka Streams).",
        "JSON ingest, human tally, scorer votes, voting policy, label events, pseudo-label merge.",
        "Exits 1 when Streams reaches ERROR."})
final class LabelerCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    return ServiceRunner.run("labeler", config, LabelerService::topics,
        (cfg, clients, registry) -> new LabelerService(cfg, registry));
  }
}
