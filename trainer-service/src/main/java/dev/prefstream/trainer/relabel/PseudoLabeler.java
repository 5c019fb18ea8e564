package dev.prefstream.trainer.relabel;

import com.tdunning.math.stats.TDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The decision rule of a Semi-DPO round (METHOD.md section 3), free of Kafka and DJL: per-anchor
 * held-out accuracy, the per-anchor |z| thresholds (a percentile of the round's |z| distribution,
 * stricter where held-out accuracy is low), and the per-anchor signs. z is oriented by the human
 * label: {@code z > 0} means the model agrees with the human, {@code z < 0} that it would flip it.
 *
 * <p>The |z| distribution of each anchor lives in a t-digest, so pairs that arrive between rounds
 * update it in constant memory and are labelled against the moving threshold.
 */
public final class PseudoLabeler {
  private final RelabelerConfig config;
  private final int[] anchors;
  private final TDigest[] digests;
  private final double[] percentiles;
  private final double[] accuracies;
  private final int holdoutCount;

  /** One anchor's rule in this round. */
  public record AnchorRule(int timestep, double holdoutAccuracy, double percentile, double threshold) {}

  private PseudoLabeler(RelabelerConfig config, double[] accuracies, int holdoutCount) {
    this.config = config;
    this.anchors = config.anchorArray();
    this.accuracies = accuracies;
    this.holdoutCount = holdoutCount;
    this.digests = new TDigest[anchors.length];
    this.percentiles = new double[anchors.length];
    for (int k = 0; k < anchors.length; k++) {
      digests[k] = TDigest.createMergingDigest(200);
      percentiles[k] = percentileFor(k);
    }
  }

  /**
   * Starts a round: held-out z (rows: pairs, columns: anchors, oriented by the human label) sets
   * each anchor's percentile, the round's unlabelled pairs' z sets the |z| distribution.
   */
  public static PseudoLabeler round(RelabelerConfig config, double[][] holdoutZ, double[][] poolZ) {
    PseudoLabeler labeler = new PseudoLabeler(config, accuracy(holdoutZ, config.anchors().size()), holdoutZ.length);
    for (double[] z : poolZ) {
      labeler.observe(z);
    }
    return labeler;
  }

  /** Share of held-out pairs with z > 0 per anchor, ties counting one half; NaN without pairs. */
  public static double[] accuracy(double[][] z, int anchors) {
    double[] acc = new double[anchors];
    for (int k = 0; k < anchors; k++) {
      if (z.length == 0) {
        acc[k] = Double.NaN;
        continue;
      }
      double s = 0;
      for (double[] row : z) {
        s += row[k] > 0 ? 1 : row[k] == 0 ? 0.5 : 0;
      }
      acc[k] = s / z.length;
    }
    return acc;
  }

  private double percentileFor(int k) {
    boolean strict = holdoutCount >= config.minHoldout()
        ? accuracies[k] < config.accuracyFloor()
        : anchors[k] >= config.strictFromTimestep();
    return strict ? config.strictPercentile() : config.percentile();
  }

  /** Adds one pair's |z| to each anchor's distribution (a pair arriving between rounds). */
  public void observe(double[] z) {
    for (int k = 0; k < anchors.length; k++) {
      if (Double.isFinite(z[k])) {
        digests[k].add(Math.abs(z[k]));
      }
    }
  }

  public double threshold(int k) {
    return digests[k].size() == 0 ? Double.POSITIVE_INFINITY : digests[k].quantile(percentiles[k] / 100.0);
  }

  /** +1 keep the human order, -1 swap it, 0 no label, per anchor. */
  public int[] signs(double[] z) {
    int[] s = new int[anchors.length];
    for (int k = 0; k < anchors.length; k++) {
      double t = threshold(k);
      s[k] = z[k] > t ? 1 : z[k] < -t ? -1 : 0;
    }
    return s;
  }

  public List<AnchorRule> rules() {
    List<AnchorRule> out = new ArrayList<>(anchors.length);
    for (int k = 0; k < anchors.length; k++) {
      out.add(new AnchorRule(anchors[k], accuracies[k], percentiles[k], threshold(k)));
    }
    return out;
  }

  /**
   * Precision of confident labels on held-out pairs: among (pair, anchor) with |z| above the
   * threshold, the share that agree with the human label. NaN when none is confident.
   */
  public double holdoutPrecision(double[][] holdoutZ) {
    long confident = 0;
    long agree = 0;
    for (double[] z : holdoutZ) {
      int[] s = signs(z);
      for (int v : s) {
        if (v != 0) {
          confident++;
          agree += v > 0 ? 1 : 0;
        }
      }
    }
    return confident == 0 ? Double.NaN : (double) agree / confident;
  }
}
