package dev.prefstream.scorer.torchscript;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.scorer.Scorer;
import dev.prefstream.scorer.ScoringException;
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
public final class EmbeddingSimilarityScorer implements Scorer {
  private final String name;
  private final String version;
  private final double scale;
  private final HuggingFaceTokenizer tokenizer;
  private final Predictor<List<RgbImage>, float[][]> images;
  private final Predictor<List<String>, float[][]> texts;

  EmbeddingSimilarityScorer(String name, String version, double scale,
      HuggingFaceTokenizer tokenizer, Predictor<List<RgbImage>, float[][]> images,
      Predictor<List<String>, float[][]> texts) {
    this.name = name;
    this.version = version;
    this.scale = scale;
    this.tokenizer = tokenizer;
    this.images = images;
    this.texts = texts;
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
  public double[] score(List<ScoringItem> items) {
    if (items.isEmpty()) {
      return new double[0];
    }
    Map<String, Integer> promptIndex = new LinkedHashMap<>();
    List<RgbImage> batch = new ArrayList<>(items.size());
    for (ScoringItem item : items) {
      promptIndex.putIfAbsent(item.prompt(), promptIndex.size());
      batch.add(item.image());
    }
    float[][] imageEmbeddings;
    float[][] textEmbeddings;
    try {
      imageEmbeddings = images.predict(batch);
      textEmbeddings = texts.predict(new ArrayList<>(promptIndex.keySet()));
    } catch (TranslateException e) {
      throw new ScoringException(name + ": model failed on a batch of " + items.size(), e);
    }
    double[] scores = new double[items.size()];
    for (int i = 0; i < scores.length; i++) {
      float[] text = textEmbeddings[promptIndex.get(items.get(i).prompt())];
      scores[i] = scale * Embeddings.cosine(imageEmbeddings[i], text);
    }
    return scores;
  }

  @Override
  public void close() {
    try (tokenizer; images; texts) {
      // closes all three, in reverse order
    }
  }
}
