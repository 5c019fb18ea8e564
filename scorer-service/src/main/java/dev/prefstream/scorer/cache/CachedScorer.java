package dev.prefstream.scorer.cache;

import dev.prefstream.scorer.Scorer;
import dev.prefstream.scorer.ScoringException;
import dev.prefstream.scorer.ScoringItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Scores a batch through a {@link ScoreCache}: each distinct key of the batch is looked up once,
 * the misses are scored together in one call of the scorer, and their finite scores are stored.
 * Like the scorer it wraps, an instance belongs to one thread; the cache may be shared.
 */
public final class CachedScorer {
  private final Scorer scorer;
  private final ScoreCache cache;

  public CachedScorer(Scorer scorer, ScoreCache cache) {
    this.scorer = scorer;
    this.cache = cache;
  }

  public Scorer scorer() {
    return scorer;
  }

  /**
   * Scores {@code items}, whose images have the digests {@code imageDigests} (same order).
   *
   * @throws ScoringException if the scorer fails on the misses
   */
  public double[] score(List<ScoringItem> items, List<String> imageDigests) {
    if (items.size() != imageDigests.size()) {
      throw new IllegalArgumentException(items.size() + " items but " + imageDigests.size()
          + " digests");
    }
    Map<ScoreKey, Double> known = new HashMap<>();
    Map<ScoreKey, ScoringItem> missing = new LinkedHashMap<>();
    ScoreKey[] keys = new ScoreKey[items.size()];
    for (int i = 0; i < keys.length; i++) {
      ScoringItem item = items.get(i);
      keys[i] = ScoreKey.of(scorer, imageDigests.get(i), item.prompt());
      if (known.containsKey(keys[i]) || missing.containsKey(keys[i])) {
        continue;
      }
      OptionalDouble cached = cache.get(keys[i]);
      if (cached.isPresent()) {
        known.put(keys[i], cached.getAsDouble());
      } else {
        missing.put(keys[i], item);
      }
    }
    if (!missing.isEmpty()) {
      double[] fresh = scorer.score(new ArrayList<>(missing.values()));
      if (fresh.length != missing.size()) {
        throw new ScoringException(scorer.name() + " returned " + fresh.length + " scores for "
            + missing.size() + " items");
      }
      int j = 0;
      for (ScoreKey key : missing.keySet()) {
        double score = fresh[j++];
        known.put(key, score);
        if (Double.isFinite(score)) {
          cache.put(key, score);
        }
      }
    }
    double[] scores = new double[keys.length];
    for (int i = 0; i < keys.length; i++) {
      scores[i] = known.get(keys[i]);
    }
    return scores;
  }
}
