package dev.prefstream.scorer.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A bounded LRU map from {@link ScoreKey} to score, with hit, miss and eviction counts. Thread-safe
 * (one lock; a lookup is a hash probe, far cheaper than any scoring), so the worker threads of a
 * service share one cache.
 */
public final class ScoreCache {
  private final int capacity;
  private final LinkedHashMap<ScoreKey, Double> entries;
  private long hits;
  private long misses;
  private long evictions;

  /** A cache holding at most {@code capacity} scores; 0 disables caching. */
  public ScoreCache(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
    }
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ScoreKey, Double> eldest) {
        if (size() > ScoreCache.this.capacity) {
          evictions++;
          return true;
        }
        return false;
      }
    };
  }

  /** The cached score, counted as a hit, or empty, counted as a miss. */
  public synchronized OptionalDouble get(ScoreKey key) {
    Double score = entries.get(key);
    if (score == null) {
      misses++;
      return OptionalDouble.empty();
    }
    hits++;
    return OptionalDouble.of(score);
  }

  /** Stores a score, evicting the least recently used one when full. */
  public synchronized void put(ScoreKey key, double score) {
    entries.put(key, score);
  }

  public synchronized CacheStats stats() {
    return new CacheStats(hits, misses, evictions, entries.size());
  }
}
