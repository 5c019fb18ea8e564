package dev.prefstream.scorer.cache;

/** Counters of a {@link ScoreCache} since it was created. */
public record CacheStats(long hits, long misses, long evictions, int size) {

  /** Hits over lookups; 0 before the first lookup. */
  public double hitRatio() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }
}
