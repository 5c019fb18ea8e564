package dev.prefstream.scorer.torchscript;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.prefstream.core.model.ModelIntegrityException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Loads an image encoder, a text encoder and a tokenizer once (each verified against its SHA-256
 * first) and makes {@link EmbeddingSimilarityScorer}s that share them. Descriptor keys:
 *
 * <pre>
 * image.model, image.model.sha256     TorchScript: pixels (B,3,S,S) float32 -&gt; (B,D)
 * image.size, image.resize (bilinear|bicubic, default bicubic), image.mean, image.std
 * text.model, text.model.sha256       TorchScript: input_ids, attention_mask (B,L) int64 -&gt; (B,D)
 * text.tokenizer, text.tokenizer.sha256   HuggingFace tokenizer.json
 * text.max-length                     L: prompts are truncated and padded to it (CLIP: 77)
 * scale                               multiplies the cosine (default 1; PickScore 100)
 * </pre>
 */
public final class EmbeddingSimilarityScorerFactory extends TorchScriptScorerFactory {
  private final ImagePreprocessor preprocessor;
  private final byte[] tokenizerJson;
  private final int maxLength;
  private final double scale;
  private final TorchScriptModel imageModel;
  private final TorchScriptModel textModel;

  private EmbeddingSimilarityScorerFactory(String name, ScorerDescriptor descriptor, Owned models,
      ImagePreprocessor preprocessor, byte[] tokenizerJson, int maxLength, double scale,
      TorchScriptModel imageModel, TorchScriptModel textModel) {
    super(name, descriptor, models);
    this.preprocessor = preprocessor;
    this.tokenizerJson = tokenizerJson;
    this.maxLength = maxLength;
    this.scale = scale;
    this.imageModel = imageModel;
    this.textModel = textModel;
  }

  /**
   * Validates the descriptor, verifies and loads the models it names, and checks that they run.
   *
   * @throws ModelIntegrityException if a file's digest does not match
   * @throws IllegalArgumentException if the descriptor is invalid or a model does not load or run
   */
  public static EmbeddingSimilarityScorerFactory open(String name, ScorerDescriptor descriptor) {
    ImagePreprocessor preprocessor = descriptor.imagePreprocessor();
    ModelFile imageFile = descriptor.modelFile("image.model");
    ModelFile textFile = descriptor.modelFile("text.model");
    ModelFile tokenizerFile = descriptor.modelFile("text.tokenizer");
    int maxLength = descriptor.intValue("text.max-length");
    double scale = descriptor.doubleValue("scale", 1);
    descriptor.rejectUnusedKeys();
    byte[] tokenizerJson;
    try {
      tokenizerJson = tokenizerFile.readVerified();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + tokenizerFile.path(), e);
    }
    return open(models -> new EmbeddingSimilarityScorerFactory(name, descriptor, models,
        preprocessor, tokenizerJson, maxLength, scale, load(models, name, "image", imageFile),
        load(models, name, "text", textFile)));
  }

  @Override
  public EmbeddingSimilarityScorer create() {
    return Owned.making(owned -> {
      HuggingFaceTokenizer tokenizer = owned.add(newTokenizer());
      return new EmbeddingSimilarityScorer(name(), version(), owned, scale,
          owned.add(imageModel.newPredictor(new ImageEncoderTranslator(preprocessor))),
          owned.add(textModel.newPredictor(new TextEncoderTranslator(tokenizer))));
    });
  }

  /** A tokenizer over the verified tokenizer.json, padding and truncating to the max length. */
  HuggingFaceTokenizer newTokenizer() {
    Map<String, String> options = Map.of(
        "padding", "max_length", "maxLength", Integer.toString(maxLength), "truncation", "true");
    try {
      return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
