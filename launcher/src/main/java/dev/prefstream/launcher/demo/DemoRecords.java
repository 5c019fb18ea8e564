package dev.prefstream.launcher.demo;

import dev.prefstream.core.image.RgbImage;
import java.util.List;
import java.util.Map;

/** The data the demo collects while it runs and renders at the end. */
public final class DemoRecords {
  private DemoRecords() {}

  /** Pipeline counters and training state at one moment. */
  public record Snapshot(double seconds, long votes, long scored, long clean, long conflicting, long relabeled,
      long deadLetters, long step, double loss, double accuracy, double holdoutAccuracy, int version) {}

  /** A win rate with its 95% confidence interval and tie rate. */
  public record WinRate(double rate, double low, double high, double ties) {}

  /** One version's evaluation against the base model, with the images it generated and when it ended. */
  public record VersionEval(int version, long step, Map<String, WinRate> metrics, List<RgbImage> samples,
      List<String> prompts, java.time.Instant finishedAt) {}

  /** Everything the report shows. */
  public record Run(String title, Map<String, String> settings, List<Snapshot> timeline,
      Map<String, Double> scorerAgreement, Map<String, Double> pseudoPrecision, List<VersionEval> evals,
      List<RgbImage> baseSamples, List<String> notes) {}
}
