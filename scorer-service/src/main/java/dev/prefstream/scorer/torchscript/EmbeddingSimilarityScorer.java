package dev.prefstream.scorer.torchscript;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.scorer.ScoringItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scale * cos(image_embedding, text_embedding)}, the form of CLIP score, PickScore and HPS
 * v2. Images of a batch go through the image encoder together; each distinct prompt of the batch is
 * encoded once. One instance per thread: it owns its predictors and tokenizer.
 *
 * <p>Measures what the encoders learnt: prompt alignment (CLIP), human preference (PickScore,
 * HPS). Misses: whatever those models miss (counting, spatial relations, text rendering), prompts
 * beyond the text encoder's token limit (truncated), and it is only as good as the export and
 * preprocessing match the model's training.
 */
public final class EmbeddingSimilarityScorer extends TorchScriptScorer {
  private final double scale;
  private final Predictor<List<RgbImage>, float[][]> images;
  private final Predictor<List<String>, float[][]> texts;

  /** {@code owned} holds the predictors and the text predictor's tokenizer. */
  EmbeddingSimilarityScorer(String name, String version, Owned owned, double scale,
      Predictor<List<RgbImage>, float[][]> images, Predictor<List<String>, float[][]> texts) {
    super(name, version, owned);
    this.scale = scale;
    this.images = images;
    this.texts = texts;
  }

  @Override
  double[] scoreBatch(List<ScoringItem> items) throws TranslateException {
    Map<String, Integer> promptIndex = new LinkedHashMap<>();
    List<RgbImage> batch = new ArrayList<>(items.size());
    for (ScoringItem item : items) {
      promptIndex.putIfAbsent(item.prompt(), promptIndex.size());
      batch.add(item.image());
    }
    float[][] imageEmbeddings = images.predict(batch);
    float[][] textEmbeddings = texts.predict(new ArrayList<>(promptIndex.keySet()));
    double[] scores = new double[items.size()];
    for (int i = 0; i < scores.length; i++) {
      float[] text = textEmbeddings[promptIndex.get(items.get(i).prompt())];
      scores[i] = scale * Embeddings.cosine(imageEmbeddings[i], text);
    }
    return scores;
  }
}
