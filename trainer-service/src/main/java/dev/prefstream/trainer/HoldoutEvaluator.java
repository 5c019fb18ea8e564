package dev.prefstream.trainer;

import dev.prefstream.diffusion.model.DenoiserModel;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import dev.prefstream.diffusion.train.BetaConvention;
import dev.prefstream.diffusion.train.DpoErrors;
import dev.prefstream.diffusion.train.ImplicitClassifier;
import dev.prefstream.diffusion.train.PreferencePair;
import dev.prefstream.schemas.PairIds;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluates the policy against its reference as an implicit preference classifier on held-out pairs
 * (METHOD.md sections 1 and 3): z per pair at every anchor timestep with one noise draw per pair,
 * seeded by the pair id so that every version is measured on the same noise. Reports
 * {@code holdout_accuracy} (share of pairs whose mean z over the anchors is positive, ties counting
 * one half), {@code holdout_reward_margin} (mean z), {@code holdout_accuracy_t<anchor>} per anchor and
 * {@code holdout_pairs}. Runs without gradients, in chunks to bound memory.
 */
final class HoldoutEvaluator {
  private static final int CHUNK = 32;

  private final NoiseSchedule schedule;
  private final int[] anchors;
  private final double beta;
  private final BetaConvention convention;
  private final DpoErrors errors;
  private final int maxPairs;

  HoldoutEvaluator(NoiseSchedule schedule, int[] anchors, double beta, BetaConvention convention, DpoErrors errors,
      int maxPairs) {
    this.errors = errors;
    this.schedule = schedule;
    this.anchors = anchors.clone();
    this.beta = beta;
    this.convention = convention;
    this.maxPairs = maxPairs;
  }

  /** The metrics above; empty when there is nothing held out. */
  Map<String, Double> evaluate(DenoiserModel policy, DenoiserModel reference, List<TrainingPair> holdout) {
    List<TrainingPair> pairs = holdout.size() > maxPairs ? holdout.subList(holdout.size() - maxPairs, holdout.size())
        : holdout;
    Map<String, Double> metrics = new TreeMap<>();
    if (pairs.isEmpty()) {
      return metrics;
    }
    ImplicitClassifier classifier = new ImplicitClassifier(policy, reference, schedule, beta, convention, errors);
    double[] perAnchorHits = new double[anchors.length];
    double hits = 0;
    double margin = 0;
    for (int from = 0; from < pairs.size(); from += CHUNK) {
      List<TrainingPair> chunk = pairs.subList(from, Math.min(pairs.size(), from + CHUNK));
      List<PreferencePair> preferences = chunk.stream().map(TrainingPair::pair).toList();
      long[] seeds = chunk.stream().mapToLong(p -> noiseSeed(p.pairId())).toArray();
      double[][] z = classifier.pairwiseZ(preferences, anchors, seeds);
      for (double[] row : z) {
        double mean = 0;
        for (int k = 0; k < row.length; k++) {
          perAnchorHits[k] += hit(row[k]);
          mean += row[k] / row.length;
        }
        hits += hit(mean);
        margin += mean;
      }
    }
    int n = pairs.size();
    metrics.put("holdout_pairs", (double) n);
    metrics.put("holdout_accuracy", hits / n);
    metrics.put("holdout_reward_margin", margin / n);
    for (int k = 0; k < anchors.length; k++) {
      metrics.put("holdout_accuracy_t" + anchors[k], perAnchorHits[k] / n);
    }
    return metrics;
  }

  private static double hit(double z) {
    return z > 0 ? 1 : z == 0 ? 0.5 : 0;
  }

  /** A stable noise seed per pair id. */
  static long noiseSeed(String pairId) {
    return Long.parseUnsignedLong(PairIds.sha256Hex(pairId.getBytes(StandardCharsets.UTF_8)).substring(0, 16), 16);
  }
}
