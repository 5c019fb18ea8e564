package dev.prefstream.scorer.torchscript;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.model.ModelIntegrityException;
import dev.prefstream.scorer.ScorerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
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
public final class EmbeddingSimilarityScorerFactory implements ScorerFactory {
  private final String name;
  private final String version;
  private final ImagePreprocessor preprocessor;
  private final byte[] tokenizerJson;
  private final int maxLength;
  private final double scale;
  private final TorchScriptModel imageModel;
  private final TorchScriptModel textModel;

  private EmbeddingSimilarityScorerFactory(String name, String version,
      ImagePreprocessor preprocessor, byte[] tokenizerJson, int maxLength, double scale,
      TorchScriptModel imageModel, TorchScriptModel textModel) {
    this.name = name;
    this.version = version;
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
    TorchScriptModel image = TorchScriptModel.load(name + "-image", imageFile);
    TorchScriptModel text = null;
    try {
      text = TorchScriptModel.load(name + "-text", textFile);
      EmbeddingSimilarityScorerFactory factory = new EmbeddingSimilarityScorerFactory(name,
          "ts-" + descriptor.fingerprint(), preprocessor, tokenizerJson, maxLength, scale, image,
          text);
      SmokeTest.run(factory);
      return factory;
    } catch (RuntimeException e) {
      TorchScriptModel.closeAll(image, text);
      throw e;
    }
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
  public EmbeddingSimilarityScorer create() {
    HuggingFaceTokenizer tokenizer = newTokenizer();
    Predictor<List<RgbImage>, float[][]> images = null;
    try {
      images = imageModel.newPredictor(new ImageEncoderTranslator(preprocessor));
      Predictor<List<String>, float[][]> texts =
          textModel.newPredictor(new TextEncoderTranslator(tokenizer));
      return new EmbeddingSimilarityScorer(name, version, scale, tokenizer, images, texts);
    } catch (RuntimeException e) {
      tokenizer.close();
      if (images != null) {
        images.close();
      }
      throw e;
    }
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

  @Override
  public void close() {
    TorchScriptModel.closeAll(imageModel, textModel);
  }
}
