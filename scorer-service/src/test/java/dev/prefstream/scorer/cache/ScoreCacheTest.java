package dev.prefstream.scorer.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ScoreCacheTest {
  private static ScoreKey key(String digest) {
    return new ScoreKey(digest, "a red circle", "detail", "1");
  }

  @Test
  void countsHitsAndMisses() {
    ScoreCache cache = new ScoreCache(10);
    assertTrue(cache.get(key("a")).isEmpty());
    cache.put(key("a"), 0.25);
    assertEquals(OptionalDouble.of(0.25), cache.get(key("a")));
    assertEquals(OptionalDouble.of(0.25), cache.get(key("a")));
    assertTrue(cache.get(new ScoreKey("a", "a red circle", "detail", "2")).isEmpty(),
        "another scorer version is another key");
    CacheStats stats = cache.stats();
    assertEquals(new CacheStats(2, 2, 0, 1), stats);
    assertEquals(0.5, stats.hitRatio());
  }

  @Test
  void evictsTheLeastRecentlyUsed() {
    ScoreCache cache = new ScoreCache(2);
    cache.put(key("a"), 1);
    cache.put(key("b"), 2);
    cache.get(key("a"));
    cache.put(key("c"), 3);
    assertTrue(cache.get(key("b")).isEmpty(), "b was least recently used");
    assertEquals(OptionalDouble.of(1), cache.get(key("a")));
    assertEquals(OptionalDouble.of(3), cache.get(key("c")));
    assertEquals(1, cache.stats().evictions());
    assertEquals(2, cache.stats().size());
  }

  @Test
  void zeroCapacityCachesNothing() {
    ScoreCache cache = new ScoreCache(0);
    cache.put(key("a"), 1);
    assertTrue(cache.get(key("a")).isEmpty());
    assertEquals(0, new CacheStats(0, 0, 0, 0).hitRatio());
    assertThrows(IllegalArgumentException.class, () -> new ScoreCache(-1));
  }
}
