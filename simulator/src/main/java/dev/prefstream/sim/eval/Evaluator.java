package dev.prefstream.sim.eval;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.scorer.Scorer;
import dev.prefstream.scorer.ScorerRegistry;
import dev.prefstream.scorer.ScoringItem;
import dev.prefstream.sim.world.Dimensions;
import dev.prefstream.sim.world.Oracle;
import dev.prefstream.sim.world.OracleReading;
import dev.prefstream.sim.world.Prompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Compares a candidate image source with a base one the way METHOD.md section 2 reports results: for
 * every (prompt, seed) both make an image with the same seed; on each metric (every configured
 * scorer, each oracle dimension, the oracle's overall score) the candidate wins where its image scores
 * strictly higher. Exact ties are not wins and are reported apart. The 95% confidence interval of each
 * win rate is a percentile bootstrap that resamples prompts (seeds of one prompt stay together).
 */
public final class Evaluator {
  /**
   * Names of the oracle's metrics, after the scorers': its three dimensions and overall score, then three
   * of the parts behind them (flatness and contrast make the aesthetics, size is one of the alignment's
   * five checks), which show what a version traded for what (docs/decisions/0016).
   */
  public static final List<String> ORACLE_METRICS = List.of("oracle.alignment", "oracle.aesthetics",
      "oracle.detail", "oracle.overall", "oracle.flatness", "oracle.contrast", "oracle.size");

  private final EvaluationConfig config;
  private final Oracle oracle = Oracle.equalWeights();

  public Evaluator(EvaluationConfig config) {
    this.config = config;
  }

  /** Generates, scores and compares; both sources are used on the calling thread only. */
  public EvaluationResult evaluate(ImageSource candidate, ImageSource base) {
    List<Prompt> prompts = gridPrompts();
    List<Long> seeds = gridSeeds();
    List<RgbImage> candidateImages = generate(candidate, prompts, seeds);
    List<RgbImage> baseImages = generate(base, prompts, seeds);
    Map<String, double[]> candidateScores = score(prompts, candidateImages);
    Map<String, double[]> baseScores = score(prompts, baseImages);
    List<MetricResult> metrics = new ArrayList<>();
    for (String metric : candidateScores.keySet()) {
      metrics.add(compare(metric, candidateScores.get(metric), baseScores.get(metric)));
    }
    List<EvaluationResult.Sample> samples = new ArrayList<>();
    if (config.keepImages()) {
      for (int i = 0; i < prompts.size(); i++) {
        samples.add(new EvaluationResult.Sample(prompts.get(i), seeds.get(i), candidateImages.get(i), baseImages.get(i)));
      }
    }
    return new EvaluationResult(config.prompts().size(), config.seeds().size(), metrics, samples);
  }

  /**
   * The images {@code source} gives for the evaluation's (prompt, seed) grid, in the order
   * {@link #evaluate} uses: to sample a base ahead of time into a {@link CachedImageSource}.
   */
  public List<RgbImage> images(ImageSource source) {
    return generate(source, gridPrompts(), gridSeeds());
  }

  private List<Prompt> gridPrompts() {
    List<Prompt> prompts = new ArrayList<>();
    for (Prompt p : config.prompts()) {
      for (int s = 0; s < config.seeds().size(); s++) {
        prompts.add(p);
      }
    }
    return prompts;
  }

  private List<Long> gridSeeds() {
    List<Long> seeds = new ArrayList<>();
    for (int p = 0; p < config.prompts().size(); p++) {
      seeds.addAll(config.seeds());
    }
    return seeds;
  }

  private List<RgbImage> generate(ImageSource source, List<Prompt> prompts, List<Long> seeds) {
    List<RgbImage> out = new ArrayList<>(prompts.size());
    for (int from = 0; from < prompts.size(); from += config.batchSize()) {
      int to = Math.min(prompts.size(), from + config.batchSize());
      long[] batchSeeds = seeds.subList(from, to).stream().mapToLong(Long::longValue).toArray();
      List<RgbImage> images = source.generate(prompts.subList(from, to), batchSeeds);
      if (images.size() != to - from) {
        throw new IllegalStateException("the image source returned " + images.size() + " images for " + (to - from));
      }
      out.addAll(images);
    }
    return out;
  }

  /** Every metric's score of every image, scorers first (in configured order), then the oracle's. */
  private Map<String, double[]> score(List<Prompt> prompts, List<RgbImage> images) {
    Map<String, double[]> scores = new LinkedHashMap<>();
    if (!config.scorerSpecs().isEmpty()) {
      List<ScoringItem> items = new ArrayList<>(images.size());
      for (int i = 0; i < images.size(); i++) {
        items.add(new ScoringItem(images.get(i), prompts.get(i).text()));
      }
      try (ScorerRegistry registry = ScorerRegistry.fromSpecs(config.scorerSpecs())) {
        List<Scorer> scorers = registry.newScorers();
        try {
          for (Scorer scorer : scorers) {
            scores.put(scorer.name(), scorer.score(items));
          }
        } finally {
          scorers.forEach(Scorer::close);
        }
      }
    }
    double[][] oracleScores = new double[ORACLE_METRICS.size()][images.size()];
    for (int i = 0; i < images.size(); i++) {
      OracleReading reading = oracle.read(prompts.get(i), images.get(i));
      Dimensions d = reading.dimensions();
      oracleScores[0][i] = d.alignment();
      oracleScores[1][i] = d.aesthetics();
      oracleScores[2][i] = d.detail();
      oracleScores[3][i] = reading.overall();
      oracleScores[4][i] = reading.flatness();
      oracleScores[5][i] = reading.contrast();
      oracleScores[6][i] = reading.alignmentParts().size();
    }
    for (int m = 0; m < ORACLE_METRICS.size(); m++) {
      scores.put(ORACLE_METRICS.get(m), oracleScores[m]);
    }
    return scores;
  }

  /** Items are prompt-major: prompt p owns items [p * seeds, (p + 1) * seeds). */
  MetricResult compare(String metric, double[] candidate, double[] base) {
    int seeds = config.seeds().size();
    int prompts = candidate.length / seeds;
    int[] winsPerPrompt = new int[prompts];
    int wins = 0;
    int ties = 0;
    double delta = 0;
    for (int i = 0; i < candidate.length; i++) {
      if (candidate[i] > base[i]) {
        wins++;
        winsPerPrompt[i / seeds]++;
      } else if (candidate[i] == base[i]) {
        ties++;
      }
      delta += candidate[i] - base[i];
    }
    double[] ci = bootstrap(winsPerPrompt, seeds, config.bootstrapResamples(), config.bootstrapSeed());
    int n = candidate.length;
    return new MetricResult(metric, wins / (double) n, ties / (double) n, ci[0], ci[1], delta / n,
        winsPerPrompt);
  }

  /**
   * The 2.5th and 97.5th percentiles of the win rate over prompt resamples: {@code winsPerPrompt[p]}
   * wins out of {@code trialsPerPrompt} comparisons for prompt p (its seeds, or the seeds of several
   * runs added up), prompts drawn with replacement {@code resamples} times.
   */
  public static double[] bootstrap(int[] winsPerPrompt, int trialsPerPrompt, int resamples, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int prompts = winsPerPrompt.length;
    int seeds = trialsPerPrompt;
    double[] rates = new double[resamples];
    for (int r = 0; r < rates.length; r++) {
      long wins = 0;
      for (int i = 0; i < prompts; i++) {
        wins += winsPerPrompt[rng.nextInt(prompts)];
      }
      rates[r] = wins / (double) (prompts * seeds);
    }
    Arrays.sort(rates);
    return new double[] {percentile(rates, 0.025), percentile(rates, 0.975)};
  }

  private static double percentile(double[] sorted, double q) {
    int index = (int) Math.round(q * (sorted.length - 1));
    return sorted[index];
  }
}
