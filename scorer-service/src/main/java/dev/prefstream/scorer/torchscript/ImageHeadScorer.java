package dev.prefstream.scorer.torchscript;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.scorer.Scorer;
import dev.prefstream.scorer.ScoringException;
import dev.prefstream.scorer.ScoringItem;
import java.util.List;

/**
 * Image encoder, then a scoring head on the (optionally L2-normalised) embedding: the LAION
 * aesthetic predictor's shape (CLIP ViT-L/14 image embedding, normalised, into an MLP). The prompt
 * is ignored. One instance per thread: it owns its predictors.
 *
 * <p>Measures what the head learnt, for LAION aesthetics the mean 1-10 rating people gave to
 * photos and art. Misses: the prompt entirely, so an off-prompt beautiful image scores high; biases
 * of its rating data (favours certain styles).
 */
public final class ImageHeadScorer implements Scorer {
  private final String name;
  private final String version;
  private final boolean normalizeEmbedding;
  private final Predictor<List<RgbImage>, float[][]> encoder;
  private final Predictor<float[][], float[]> head;

  ImageHeadScorer(String name, String version, boolean normalizeEmbedding,
      Predictor<List<RgbImage>, float[][]> encoder, Predictor<float[][], float[]> head) {
    this.name = name;
    this.version = version;
    this.normalizeEmbedding = normalizeEmbedding;
    this.encoder = encoder;
    this.head = head;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public boolean usesPrompt() {
    return false;
  }

  @Override
  public double[] score(List<ScoringItem> items) {
    if (items.isEmpty()) {
      return new double[0];
    }
    float[] raw;
    try {
      float[][] embeddings = encoder.predict(items.stream().map(ScoringItem::image).toList());
      if (normalizeEmbedding) {
        for (int i = 0; i < embeddings.length; i++) {
          embeddings[i] = Embeddings.normalized(embeddings[i]);
        }
      }
      raw = head.predict(embeddings);
    } catch (TranslateException e) {
      throw new ScoringException(name + ": model failed on a batch of " + items.size(), e);
    }
    if (raw.length != items.size()) {
      throw new ScoringException(name + ": head returned " + raw.length + " scores for "
          + items.size() + " images");
    }
    double[] scores = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      scores[i] = raw[i];
    }
    return scores;
  }

  @Override
  public void close() {
    try (encoder; head) {
      // closes both
    }
  }
}
