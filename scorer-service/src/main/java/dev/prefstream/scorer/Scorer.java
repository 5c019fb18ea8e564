package dev.prefstream.scorer;

import java.util.List;

/**
 * Rates images against their prompts; a higher score means a better image. Scores of different
 * scorers have different scales and are only compared within one scorer (METHOD.md section 2).
 *
 * <p><b>Threading:</b> an instance is used by one thread at a time. Scorers backed by DJL hold a
 * {@code Predictor}, which must not be shared across threads, so each worker thread gets its own
 * instance from the shared {@link ScorerFactory}. Model-backed scorers run on the GPU when DJL sees
 * one (the engine's default device) and on the CPU otherwise.
 *
 * <p>{@link #name()} and {@link #version()} identify the scores: the version changes whenever the
 * same (image, prompt) could get a different score (new algorithm, new weights, new preprocessing),
 * so cached and published scores stay attributable.
 */
public interface Scorer extends AutoCloseable {

  /** Stable name used in configuration, records and metrics, e.g. {@code detail}. */
  String name();

  /** Version of the scoring function; part of every cache key and every published score. */
  String version();

  /**
   * Whether the prompt affects the score. Image-only scorers return false so a cache can share
   * their scores of one image across prompts.
   */
  default boolean usesPrompt() {
    return true;
  }

  /**
   * Scores a batch. Returns one score per item, in order. A score that is not finite (NaN from a
   * broken image or model) is the caller's to treat as a failure of that item.
   *
   * @throws ScoringException if the batch cannot be scored; the caller may retry items one by one
   *     to isolate a bad one
   */
  double[] score(List<ScoringItem> items);

  /** Releases native resources (predictors); the instance is unusable afterwards. */
  @Override
  void close();
}
