package dev.prefstream.scorer.service;

import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.avro.ScorerScore;
import dev.prefstream.core.image.ImageException;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.scorer.Scorer;
import dev.prefstream.scorer.ScoringItem;
import dev.prefstream.scorer.cache.CachedScorer;
import dev.prefstream.scorer.cache.ScoreCache;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a batch of votes without Kafka: fetches and decodes each distinct image of the batch once,
 * then has every scorer score all images of the batch in one call through the score cache. Each
 * vote ends as a {@link ScoredPair} or as the reason it cannot be scored; one bad vote never fails
 * the others. If a scorer throws on the batch, its images are scored again vote by vote to isolate
 * the culprit. Owns its scorers, so it belongs to one thread.
 */
public final class BatchScorer implements AutoCloseable {
  /** Dead-letter reason: a scorer threw on the vote's images. */
  public static final String SCORER_ERROR = "scorer-error";
  /** Dead-letter reason: a scorer returned a score that is not finite. */
  public static final String NAN_SCORE = "nan-score";

  /** What became of one vote: either {@code scored} or a dead-letter {@code reason} and error. */
  public record Outcome(ScoredPair scored, String reason, String error) {
    static Outcome failed(String reason, String error) {
      return new Outcome(null, reason, error);
    }

    public boolean ok() {
      return scored != null;
    }
  }

  private record Loaded(RgbImage image, ImageException error) {}

  private final ImageStore images;
  private final List<CachedScorer> scorers;
  private final ScorerMetrics metrics;

  /** Scores with {@code scorers} (owned from now on) through {@code cache}. */
  public BatchScorer(ImageStore images, List<Scorer> scorers, ScoreCache cache,
      ScorerMetrics metrics) {
    this.images = images;
    this.scorers = scorers.stream().map(s -> new CachedScorer(s, cache)).toList();
    this.metrics = metrics;
  }

  /** One outcome per vote, in order. */
  public List<Outcome> score(List<PreferenceVote> votes) {
    Outcome[] outcomes = new Outcome[votes.size()];
    Map<ImageRef, Loaded> loaded = load(votes);
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < outcomes.length; i++) {
      PreferenceVote vote = votes.get(i);
      ImageException error = firstError(loaded.get(vote.getImageA()), loaded.get(vote.getImageB()));
      if (error != null) {
        outcomes[i] = Outcome.failed(error.reason().code(), error.getMessage());
      } else {
        pending.add(i);
      }
    }
    List<ScoringItem> items = new ArrayList<>(2 * pending.size());
    List<String> digests = new ArrayList<>(2 * pending.size());
    for (int i : pending) {
      PreferenceVote vote = votes.get(i);
      for (ImageRef ref : List.of(vote.getImageA(), vote.getImageB())) {
        items.add(new ScoringItem(loaded.get(ref).image(), vote.getPrompt()));
        digests.add(ref.getSha256());
      }
    }
    List<List<ScorerScore>> scores = new ArrayList<>(pending.size());
    pending.forEach(i -> scores.add(new ArrayList<>(scorers.size())));
    for (CachedScorer scorer : scorers) {
      double[] s = scoreIsolating(scorer, items, digests, pending, outcomes);
      for (int j = 0; j < pending.size(); j++) {
        int i = pending.get(j);
        if (outcomes[i] == null && !(Double.isFinite(s[2 * j]) && Double.isFinite(s[2 * j + 1]))) {
          outcomes[i] = Outcome.failed(NAN_SCORE, scorer.scorer().name() + " gave " + s[2 * j]
              + " and " + s[2 * j + 1]);
        }
        scores.get(j).add(new ScorerScore(scorer.scorer().name(), scorer.scorer().version(),
            s[2 * j], s[2 * j + 1]));
      }
    }
    Instant now = Instant.now();
    for (int j = 0; j < pending.size(); j++) {
      int i = pending.get(j);
      if (outcomes[i] == null) {
        outcomes[i] = new Outcome(new ScoredPair(votes.get(i), scores.get(j), now), null, null);
      }
    }
    return Arrays.asList(outcomes);
  }

  private Map<ImageRef, Loaded> load(List<PreferenceVote> votes) {
    long t0 = System.nanoTime();
    Map<ImageRef, Loaded> loaded = new HashMap<>();
    for (PreferenceVote vote : votes) {
      loaded.computeIfAbsent(vote.getImageA(), this::load);
      loaded.computeIfAbsent(vote.getImageB(), this::load);
    }
    metrics.fetched(System.nanoTime() - t0);
    return loaded;
  }

  private Loaded load(ImageRef ref) {
    try {
      return new Loaded(images.load(ref), null);
    } catch (ImageException e) {
      return new Loaded(null, e);
    } catch (RuntimeException e) {
      // image decoders throw unchecked exceptions on some corrupt inputs
      return new Loaded(null, new ImageException(ImageException.Reason.UNDECODABLE,
          ref.getUri() + ": " + e, e));
    }
  }

  private static ImageException firstError(Loaded a, Loaded b) {
    return a.error() != null ? a.error() : b.error();
  }

  /**
   * All items in one call; if that throws, vote by vote, failing only the votes whose images make
   * the scorer throw (their scores are NaN).
   */
  private double[] scoreIsolating(CachedScorer scorer, List<ScoringItem> items,
      List<String> digests, List<Integer> pending, Outcome[] outcomes) {
    String name = scorer.scorer().name();
    long t0 = System.nanoTime();
    try {
      return scorer.score(items, digests);
    } catch (RuntimeException batchError) {
      double[] scores = new double[items.size()];
      for (int j = 0; j < pending.size(); j++) {
        try {
          double[] pair = scorer.score(items.subList(2 * j, 2 * j + 2),
              digests.subList(2 * j, 2 * j + 2));
          scores[2 * j] = pair[0];
          scores[2 * j + 1] = pair[1];
        } catch (RuntimeException e) {
          scores[2 * j] = Double.NaN;
          scores[2 * j + 1] = Double.NaN;
          int i = pending.get(j);
          if (outcomes[i] == null) {
            outcomes[i] = Outcome.failed(SCORER_ERROR, name + ": " + e);
          }
        }
      }
      return scores;
    } finally {
      metrics.scored(name, items.size(), System.nanoTime() - t0);
    }
  }

  /** Closes the scorers. */
  @Override
  public void close() {
    scorers.forEach(s -> s.scorer().close());
  }
}
