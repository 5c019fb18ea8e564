package dev.prefstream.scorer.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.scorer.Scorer;
import dev.prefstream.scorer.ScoringItem;
import dev.prefstream.scorer.TestImages;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachedScorerTest {

  /** Scores an image by its first value plus the prompt length, and records each batch. */
  private static final class CountingScorer implements Scorer {
    final List<Integer> batches = new ArrayList<>();
    private final boolean usesPrompt;
    private final String version;

    CountingScorer(boolean usesPrompt, String version) {
      this.usesPrompt = usesPrompt;
      this.version = version;
    }

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public String version() {
      return version;
    }

    @Override
    public boolean usesPrompt() {
      return usesPrompt;
    }

    @Override
    public double[] score(List<ScoringItem> items) {
      batches.add(items.size());
      return items.stream().mapToDouble(i -> i.image().chw()[0] * 10
          + (usesPrompt ? i.prompt().length() : 0)
          + (i.prompt().equals("nan") ? Double.NaN : 0)).toArray();
    }

    @Override
    public void close() {}
  }

  private static final RgbImage ONE = TestImages.solid(2, 2, 0.1f, 0, 0);
  private static final RgbImage TWO = TestImages.solid(2, 2, 0.2f, 0, 0);

  @Test
  void scoresEachDistinctKeyOnceAcrossAndWithinBatches() {
    CountingScorer scorer = new CountingScorer(true, "1");
    ScoreCache cache = new ScoreCache(100);
    CachedScorer cached = new CachedScorer(scorer, cache);
    List<ScoringItem> items = List.of(new ScoringItem(ONE, "ab"), new ScoringItem(TWO, "ab"),
        new ScoringItem(ONE, "ab"), new ScoringItem(ONE, "abc"));
    List<String> digests = List.of("d1", "d2", "d1", "d1");
    double[] first = cached.score(items, digests);
    assertArrayEquals(new double[] {3, 4, 3, 4}, first, 1e-6);
    assertEquals(List.of(3), scorer.batches, "three distinct keys, one batch");
    double[] again = cached.score(items, digests);
    assertArrayEquals(first, again);
    assertEquals(List.of(3), scorer.batches, "all hits: the scorer is not called");
    assertEquals(new CacheStats(3, 3, 0, 3), cache.stats());
  }

  @Test
  void promptFreeScorersShareAnImageScoreAcrossPrompts() {
    CountingScorer scorer = new CountingScorer(false, "1");
    CachedScorer cached = new CachedScorer(scorer, new ScoreCache(100));
    cached.score(List.of(new ScoringItem(ONE, "a red circle")), List.of("d1"));
    cached.score(List.of(new ScoringItem(ONE, "a blue square")), List.of("d1"));
    assertEquals(List.of(1), scorer.batches);
  }

  @Test
  void newVersionMissesAndNonFiniteScoresAreNotCached() {
    ScoreCache cache = new ScoreCache(100);
    new CachedScorer(new CountingScorer(true, "1"), cache)
        .score(List.of(new ScoringItem(ONE, "x")), List.of("d1"));
    CountingScorer v2 = new CountingScorer(true, "2");
    CachedScorer cached = new CachedScorer(v2, cache);
    cached.score(List.of(new ScoringItem(ONE, "x")), List.of("d1"));
    assertEquals(List.of(1), v2.batches, "version 2 does not reuse version 1's score");
    double nan = cached.score(List.of(new ScoringItem(ONE, "nan")), List.of("d1"))[0];
    assertEquals(Double.NaN, nan);
    cached.score(List.of(new ScoringItem(ONE, "nan")), List.of("d1"));
    assertEquals(List.of(1, 1, 1), v2.batches, "NaN was not cached, so it is scored again");
  }
}
