package dev.prefstream.sim.pretrain;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.diffusion.model.UNetConfig;
import dev.prefstream.sim.world.Prompt;
import dev.prefstream.sim.world.PromptSplit;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Settings of base-model pretraining. {@link #from(PrefstreamConfig)} reads (defaults in brackets)
 * {@code pretrain.steps} [4000], {@code pretrain.batch-size} [16], {@code pretrain.lr} [1e-3],
 * {@code pretrain.ema-decay} [0.995], {@code pretrain.caption-dropout} [0.1], {@code pretrain.seed}
 * [20240601], {@code pretrain.model} [unet] and {@code pretrain.init} [none | shipped: continue from the
 * shipped base model's weights instead of fresh ones]; the architecture is the diffusion module's default over {@link Prompt#vocabulary()}, the
 * training prompts are {@link PromptSplit#standard()}'s and the defects {@link DefectMix#standard()}.
 *
 * @param model the model name in the store
 * @param unet the architecture
 * @param steps optimizer steps
 * @param batchSize images per step
 * @param learningRate AdamW's constant learning rate
 * @param emaDecay decay of the exponential moving average of the weights that is published; 0
 *     publishes the last weights
 * @param captionDropout probability that a sample is trained with the null prompt (for guidance)
 * @param seed seeds the initial weights, the training data and the trainer's noise
 * @param defects the deliberate defects of the training set
 * @param split whose training prompts are drawn
 * @param fromShipped start from the shipped base model's weights (a continued run) instead of fresh ones
 */
public record PretrainConfig(String model, UNetConfig unet, int steps, int batchSize, float learningRate,
    double emaDecay, double captionDropout, long seed, DefectMix defects, PromptSplit split, boolean fromShipped) {

  public static final int DEFAULT_STEPS = 4000;
  public static final long DEFAULT_SEED = 20240601L;

  public PretrainConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(unet, "unet");
    Objects.requireNonNull(defects, "defects");
    Objects.requireNonNull(split, "split");
    if (steps <= 0 || batchSize <= 0 || !(learningRate > 0) || !(emaDecay >= 0 && emaDecay < 1)
        || !(captionDropout >= 0 && captionDropout < 1)) {
      throw new IllegalArgumentException(
          "need steps > 0, batch size > 0, lr > 0, EMA decay and caption dropout in [0, 1)");
    }
  }

  /** The project's base-model settings. */
  public static PretrainConfig defaults() {
    return from(PrefstreamConfig.empty());
  }

  /** The settings of the {@code pretrain.*} keys over the defaults. */
  public static PretrainConfig from(PrefstreamConfig c) {
    return new PretrainConfig(c.string("pretrain.model", "unet"), UNetConfig.defaults(Prompt.vocabulary()),
        c.integer("pretrain.steps", DEFAULT_STEPS), c.integer("pretrain.batch-size", 16),
        (float) c.number("pretrain.lr", 1e-3), c.number("pretrain.ema-decay", 0.995),
        c.number("pretrain.caption-dropout", 0.1),
        c.longValue("pretrain.seed", DEFAULT_SEED), DefectMix.standard(), PromptSplit.standard(),
        init(c.string("pretrain.init", "none")));
  }

  private static boolean init(String name) {
    return switch (name) {
      case "none" -> false;
      case "shipped" -> true;
      default -> throw new IllegalArgumentException("pretrain.init must be none or shipped: " + name);
    };
  }

  /** These settings with another architecture (tests use a tiny one). */
  public PretrainConfig withUNet(UNetConfig other) {
    return new PretrainConfig(model, other, steps, batchSize, learningRate, emaDecay, captionDropout, seed, defects,
        split, fromShipped);
  }

  /** These settings with another step count and batch size. */
  public PretrainConfig withSteps(int newSteps, int newBatchSize) {
    return new PretrainConfig(model, unet, newSteps, newBatchSize, learningRate, emaDecay, captionDropout, seed,
        defects, split, fromShipped);
  }

  /** These settings with another EMA decay (0: publish the last weights). */
  public PretrainConfig withEmaDecay(double decay) {
    return new PretrainConfig(model, unet, steps, batchSize, learningRate, decay, captionDropout, seed, defects, split,
        fromShipped);
  }

  /** The settings as recorded in the manifest ({@code pretrain.*} keys). */
  public Map<String, String> describe() {
    Map<String, String> m = new TreeMap<>();
    m.put("pretrain.steps", String.valueOf(steps));
    m.put("pretrain.batch-size", String.valueOf(batchSize));
    m.put("pretrain.lr", String.valueOf(learningRate));
    m.put("pretrain.ema-decay", String.valueOf(emaDecay));
    m.put("pretrain.caption-dropout", String.valueOf(captionDropout));
    m.put("pretrain.seed", String.valueOf(seed));
    m.put("pretrain.defects", defects.toString());
    m.put("pretrain.held-out-combinations", String.valueOf(split.heldOutCombinations().size()));
    m.put("pretrain.init", fromShipped ? "shipped" : "none");
    return m;
  }
}
