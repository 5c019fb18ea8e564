package dev.prefstream.scorer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.scorer.Scorer;
import dev.prefstream.scorer.ScoringException;
import dev.prefstream.scorer.ScoringItem;
import dev.prefstream.scorer.bench.SyntheticVotes;
import dev.prefstream.scorer.builtin.ContrastScorer;
import dev.prefstream.scorer.cache.ScoreCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchScorerTest {
  @TempDir
  Path root;

  private final Random random = new Random(3);

  @Test
  void aScorerThatThrowsOnOneImageFailsOnlyTheVotesWithThatImage() {
    ImageStore store = new ImageStore(ImageStore.Settings.of(root));
    ImageRef poison = image(store);
    List<PreferenceVote> votes = List.of(vote(store, image(store)), vote(store, poison),
        vote(store, image(store)));
    Probe probe = new Probe(item -> {
      throw new ScoringException("model error");
    }, poison, store);

    List<BatchScorer.Outcome> out = score(store, probe, votes);

    assertTrue(out.get(0).ok());
    assertEquals(BatchScorer.SCORER_ERROR, out.get(1).reason());
    assertTrue(out.get(1).error().contains("probe"), out.get(1).error());
    assertTrue(out.get(2).ok());
    assertEquals(2, out.get(0).scored().getScores().size());
  }

  @Test
  void aNonFiniteScoreIsADeadLetter() {
    ImageStore store = new ImageStore(ImageStore.Settings.of(root));
    ImageRef broken = image(store);
    Probe probe = new Probe(item -> Double.NaN, broken, store);

    List<BatchScorer.Outcome> out =
        score(store, probe, List.of(vote(store, broken), vote(store, image(store))));

    assertEquals(BatchScorer.NAN_SCORE, out.get(0).reason());
    assertNull(out.get(0).scored());
    assertTrue(out.get(1).ok());
  }

  @Test
  void anImageVotedOnManyTimesIsScoredOnce() {
    ImageStore store = new ImageStore(ImageStore.Settings.of(root));
    ImageRef a = image(store);
    ImageRef b = image(store);
    List<PreferenceVote> votes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      votes.add(SyntheticVotes.vote("v" + i, "a red square", a, b, Choice.A, "u" + i));
    }
    Probe probe = new Probe(item -> 0.5, null, store);
    ScoreCache cache = new ScoreCache(100);

    score(store, probe, votes, cache);
    score(store, probe, votes, cache);

    assertEquals(2, probe.scored);
    // two images, two scorers: four distinct keys, looked up once per batch
    assertEquals(4, cache.stats().misses());
    assertEquals(4, cache.stats().hits());
  }

  private List<BatchScorer.Outcome> score(ImageStore store, Probe probe, List<PreferenceVote> votes) {
    return score(store, probe, votes, new ScoreCache(0));
  }

  private List<BatchScorer.Outcome> score(ImageStore store, Probe probe, List<PreferenceVote> votes,
      ScoreCache cache) {
    List<Scorer> scorers = List.of(new ContrastScorer(), probe);
    BatchScorer scorer = new BatchScorer(store, scorers, cache,
        new ScorerMetrics(new SimpleMeterRegistry(), cache));
    return scorer.score(votes);
  }

  private ImageRef image(ImageStore store) {
    return store.put(SyntheticVotes.image(random, 16));
  }

  private PreferenceVote vote(ImageStore store, ImageRef b) {
    return SyntheticVotes.vote("v-" + b.getSha256(), "a red square", image(store), b, Choice.B, "u");
  }

  /** Scores 1.0, except {@code special}'s image, which gets {@code onSpecial}; counts images. */
  private static final class Probe implements Scorer {
    private final ToDoubleFunction<ScoringItem> onSpecial;
    private final ImageRef special;
    private final ImageStore store;
    int scored;

    Probe(ToDoubleFunction<ScoringItem> onSpecial, ImageRef special, ImageStore store) {
      this.onSpecial = onSpecial;
      this.special = special;
      this.store = store;
    }

    @Override
    public String name() {
      return "probe";
    }

    @Override
    public String version() {
      return "1";
    }

    @Override
    public double[] score(List<ScoringItem> items) {
      double[] out = new double[items.size()];
      for (int i = 0; i < out.length; i++) {
        scored++;
        out[i] = isSpecial(items.get(i)) ? onSpecial.applyAsDouble(items.get(i)) : 1.0;
      }
      return out;
    }

    private boolean isSpecial(ScoringItem item) {
      try {
        return special != null && store.load(special).equals(item.image());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void close() {}
  }
}
