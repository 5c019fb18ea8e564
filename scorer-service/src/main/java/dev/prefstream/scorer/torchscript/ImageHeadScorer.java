package dev.prefstream.scorer.torchscript;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.prefstream.core.image.RgbImage;
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
public final class ImageHeadScorer extends TorchScriptScorer {
  private final boolean normalizeEmbedding;
  private final Predictor<List<RgbImage>, float[][]> encoder;
  private final Predictor<float[][], float[]> head;

  /** {@code owned} holds the two predictors. */
  ImageHeadScorer(String name, String version, Owned owned, boolean normalizeEmbedding,
      Predictor<List<RgbImage>, float[][]> encoder, Predictor<float[][], float[]> head) {
    super(name, version, owned);
    this.normalizeEmbedding = normalizeEmbedding;
    this.encoder = encoder;
    this.head = head;
  }

  @Override
  public boolean usesPrompt() {
    return false;
  }

  @Override
  double[] scoreBatch(List<ScoringItem> items) throws TranslateException {
    float[][] embeddings = encoder.predict(items.stream().map(ScoringItem::image).toList());
    if (normalizeEmbedding) {
      for (int i = 0; i < embeddings.length; i++) {
        embeddings[i] = Embeddings.normalized(embeddings[i]);
      }
    }
    float[] raw = head.predict(embeddings);
    if (raw.length != items.size()) {
      throw new ScoringException(name() + ": head returned " + raw.length + " scores for "
          + items.size() + " images");
    }
    double[] scores = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      scores[i] = raw[i];
    }
    return scores;
  }
}
