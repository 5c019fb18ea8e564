package dev.prefstream.sim.eval;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.sim.world.Prompt;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * Per-metric win rates of a candidate over the base on held-out prompts.
 *
 * @param prompts number of prompts
 * @param seedsPerPrompt seeds per prompt
 * @param metrics one result per metric: the scorers in configured order, then the oracle's
 * @param samples the generated images, when the evaluation was asked to keep them (else empty)
 */
public record EvaluationResult(int prompts, int seedsPerPrompt, List<MetricResult> metrics, List<Sample> samples) {

  /** One (prompt, seed) with both images. */
  public record Sample(Prompt prompt, long seed, RgbImage candidate, RgbImage base) {}

  public EvaluationResult {
    metrics = List.copyOf(metrics);
    samples = List.copyOf(samples);
  }

  /** The result of one metric. */
  public MetricResult metric(String name) {
    return metrics.stream().filter(m -> m.metric().equals(name)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no metric '" + name + "'"));
  }

  /** A plain-text table: metric, win rate with its 95% CI, tie rate, mean score delta. */
  public String table() {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d prompts x %d seeds%n", prompts, seedsPerPrompt));
    s.append(String.format(Locale.ROOT, "%-20s %8s  %-17s %8s %11s%n", "metric", "win", "95% CI", "tie", "mean delta"));
    for (MetricResult m : metrics) {
      s.append(String.format(Locale.ROOT, "%-20s %8.3f  [%.3f, %.3f]    %8.3f %+11.4f%n", m.metric(), m.winRate(),
          m.ciLow(), m.ciHigh(), m.tieRate(), m.meanDelta()));
    }
    return s.toString();
  }
}
