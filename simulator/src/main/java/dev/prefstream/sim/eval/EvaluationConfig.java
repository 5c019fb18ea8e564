package dev.prefstream.sim.eval;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.scorer.ScorerRegistry;
import dev.prefstream.sim.world.Prompt;
import dev.prefstream.sim.world.PromptSplit;
import java.util.ArrayList;
import java.util.List;

/**
 * What an evaluation compares on. {@link #from(PrefstreamConfig)} reads (defaults in brackets)
 * {@code eval.prompts} [64: a fixed even spread of that many held-out prompts of
 * {@link PromptSplit#standard()}; 0 = all 504 of them], {@code eval.prompt-set} [held-out: colour and
 * shape combinations no training prompt has; {@code training} evaluates on the training prompts
 * instead, to tell what DPO learned for the prompts it saw from what carries over], {@code eval.seeds} [2 seeds per prompt: 0, 1, ...], {@code eval.bootstrap}
 * [1000 resamples], {@code eval.bootstrap-seed} [12345], {@code eval.batch} [32 images per sampling
 * batch] and {@code eval.scorers} [the built-in scorers].
 *
 * @param prompts the evaluation prompts
 * @param seeds the seeds every prompt is generated with (the same for candidate and base)
 * @param scorerSpecs scorer specs for {@link ScorerRegistry#fromSpecs}, possibly empty
 * @param bootstrapResamples resamples of the prompts for the confidence intervals
 * @param bootstrapSeed the resampling seed
 * @param batchSize images per generation call
 * @param keepImages whether the result carries the generated images
 */
public record EvaluationConfig(List<Prompt> prompts, List<Long> seeds, List<String> scorerSpecs,
    int bootstrapResamples, long bootstrapSeed, int batchSize, boolean keepImages) {

  public EvaluationConfig {
    prompts = List.copyOf(prompts);
    seeds = List.copyOf(seeds);
    scorerSpecs = List.copyOf(scorerSpecs);
    if (prompts.isEmpty() || seeds.isEmpty() || bootstrapResamples <= 0 || batchSize <= 0) {
      throw new IllegalArgumentException("need prompts, seeds, bootstrap resamples > 0 and batch size > 0");
    }
  }

  public static EvaluationConfig defaults() {
    return from(PrefstreamConfig.empty());
  }

  public static EvaluationConfig from(PrefstreamConfig c) {
    List<Long> seeds = new ArrayList<>();
    for (long s = 0; s < c.integer("eval.seeds", 2); s++) {
      seeds.add(s);
    }
    String set = c.string("eval.prompt-set", "held-out");
    List<Prompt> prompts = switch (set) {
      case "held-out" -> spread(PromptSplit.standard().heldOut(), c.integer("eval.prompts", 64));
      case "training" -> spread(PromptSplit.standard().training(), c.integer("eval.prompts", 64));
      default -> throw new IllegalArgumentException("eval.prompt-set must be held-out or training: " + set);
    };
    return new EvaluationConfig(prompts, seeds,
        c.list("eval.scorers", ScorerRegistry.BUILTIN_KINDS), c.integer("eval.bootstrap", 1000),
        c.longValue("eval.bootstrap-seed", 12345), c.integer("eval.batch", 32), false);
  }

  /**
   * {@code count} held-out prompts of the standard split spread evenly over its list (every k-th), or
   * all of them when {@code count} is 0 or more than there are.
   */
  public static List<Prompt> heldOut(int count) {
    return spread(PromptSplit.standard().heldOut(), count);
  }

  /** {@code count} of {@code all} spread evenly over the list (every k-th), or all of them. */
  static List<Prompt> spread(List<Prompt> all, int count) {
    if (count <= 0 || count >= all.size()) {
      return all;
    }
    List<Prompt> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(all.get((int) ((long) i * all.size() / count)));
    }
    return out;
  }

  /** This configuration with the generated images kept in the result (for a sample grid). */
  public EvaluationConfig keepingImages() {
    return new EvaluationConfig(prompts, seeds, scorerSpecs, bootstrapResamples, bootstrapSeed, batchSize, true);
  }
}
