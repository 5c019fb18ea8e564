package dev.prefstream.launcher;

import dev.prefstream.scorer.service.ScoringService;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code prefstream scorer}: scores both images of every vote with the configured scorers. */
@Command(name = "scorer", mixinStandardHelpOptions = true,
    description = {"Scores both images of every vote (prefs.votes -> prefs.scored).",
        "A transactional consume-transform-produce loop with the scorers of scorer.scorers (built-in and TorchScript)."})
final class ScorerCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    return ServiceRunner.run("scorer", config, t -> List.of(t.votes(), t.scored(), t.dlq()), ScoringService::create);
  }
}
