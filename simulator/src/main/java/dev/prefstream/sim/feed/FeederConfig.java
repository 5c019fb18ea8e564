package dev.prefstream.sim.feed;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.sim.world.PopulationConfig;
import dev.prefstream.sim.world.Prompt;
import dev.prefstream.sim.world.PromptSplit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of the simulated vote feeder. {@link #from(PrefstreamConfig)} reads (defaults in brackets):
 *
 * <ul>
 *   <li>{@code feeder.rate} [0.5]: pairs per second; 0 means as fast as sampling allows;
 *   <li>{@code feeder.votes-per-pair} [3]: distinct simulated users voting on each pair;
 *   <li>{@code feeder.max-pairs} [0 = unbounded]: stop after this many pairs (whole groups: up to
 *       k(k-1)/2 - 1 more);
 *   <li>{@code feeder.batch-pairs} [4]: pairs sampled together in one DDIM batch (rounded up to whole
 *       prompts' groups);
 *   <li>{@code feeder.images-per-prompt} [2]: images sampled per prompt; every two of them are a pair,
 *       so k images give k(k-1)/2 pairs (a product showing a grid of four gives six);
 *   <li>{@code feeder.population.size} [100], {@code feeder.population.seed} [7],
 *       {@code feeder.population.temperature} [0.05]: the simulated users (Dirichlet(1,1,1) weights,
 *       see {@link PopulationConfig#defaults()} for the rest);
 *   <li>{@code feeder.guidance-scale} [3.0], {@code feeder.ddim-steps} [20]: sampling;
 *   <li>{@code feeder.prompts} [training]: {@code training}, {@code held-out} or {@code all} prompts
 *       of {@link PromptSplit#standard()};
 *   <li>{@code feeder.seed} [1]: prompts, image seeds, voters and their choices;
 *   <li>{@code feeder.model} [unet]: the model name in the store and on the model-versions topic.
 * </ul>
 *
 * @param rate pairs per second, 0 for unthrottled
 * @param votesPerPair votes per pair, at most the population size
 * @param maxPairs pairs to produce before stopping, 0 for unbounded
 * @param batchPairs pairs per sampling batch
 * @param imagesPerPrompt images per prompt, each two of them a pair
 * @param population how the simulated users are drawn
 * @param populationSeed the population's seed
 * @param guidanceScale classifier-free guidance scale
 * @param ddimSteps DDIM steps per image
 * @param prompts which prompts pairs are generated for
 * @param seed the feeder's random seed
 * @param model the model name
 */
public record FeederConfig(double rate, int votesPerPair, long maxPairs, int batchPairs, int imagesPerPrompt,
    PopulationConfig population,
    long populationSeed, float guidanceScale, int ddimSteps, PromptSet prompts, long seed, String model) {

  /** Which prompts of the standard split pairs are drawn from. */
  public enum PromptSet {
    TRAINING, HELD_OUT, ALL;

    /** The prompts of this set. */
    public List<Prompt> prompts() {
      return switch (this) {
        case TRAINING -> PromptSplit.standard().training();
        case HELD_OUT -> PromptSplit.standard().heldOut();
        case ALL -> Prompt.all();
      };
    }

    /** {@code training}, {@code held-out} or {@code all}. */
    public static PromptSet fromConfigName(String name) {
      return valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  public FeederConfig {
    Objects.requireNonNull(population, "population");
    Objects.requireNonNull(prompts, "prompts");
    Objects.requireNonNull(model, "model");
    if (!(rate >= 0) || votesPerPair <= 0 || votesPerPair > population.size() || maxPairs < 0 || batchPairs <= 0
        || imagesPerPrompt < 2 || ddimSteps <= 0 || !(guidanceScale >= 1)) {
      throw new IllegalArgumentException("need rate >= 0, 0 < votes-per-pair <= population size, max-pairs >= 0, "
          + "batch-pairs > 0, images-per-prompt >= 2, ddim-steps > 0, guidance-scale >= 1");
    }
  }

  /** Pairs among one prompt's images: k(k-1)/2. */
  public int pairsPerPrompt() {
    return imagesPerPrompt * (imagesPerPrompt - 1) / 2;
  }

  /** Prompts whose groups together give at least {@code pairs} pairs. */
  public int promptsFor(long pairs) {
    return (int) Math.max(1, (pairs + pairsPerPrompt() - 1) / pairsPerPrompt());
  }

  public static FeederConfig defaults() {
    return from(PrefstreamConfig.empty());
  }

  public static FeederConfig from(PrefstreamConfig c) {
    PopulationConfig base = PopulationConfig.defaults();
    PopulationConfig population = new PopulationConfig(c.integer("feeder.population.size", base.size()),
        base.alphaAlignment(), base.alphaAesthetics(), base.alphaDetail(),
        c.number("feeder.population.temperature", base.temperature()), base.temperatureSpread(), base.tieMargin());
    return new FeederConfig(c.number("feeder.rate", 0.5), c.integer("feeder.votes-per-pair", 3),
        c.longValue("feeder.max-pairs", 0), c.integer("feeder.batch-pairs", 4),
        c.integer("feeder.images-per-prompt", 2), population,
        c.longValue("feeder.population.seed", 7), (float) c.number("feeder.guidance-scale", 3.0),
        c.integer("feeder.ddim-steps", 20), PromptSet.fromConfigName(c.string("feeder.prompts", "training")),
        c.longValue("feeder.seed", 1), c.string("feeder.model", "unet"));
  }
}
