package dev.prefstream.scorer.torchscript;

import ai.djl.inference.Predictor;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.model.ModelIntegrityException;
import dev.prefstream.scorer.ScorerFactory;
import java.util.List;

/**
 * Loads an image encoder and a scoring head once (each verified against its SHA-256 first) and
 * makes {@link ImageHeadScorer}s that share them. Descriptor keys:
 *
 * <pre>
 * image.model, image.model.sha256     TorchScript: pixels (B,3,S,S) float32 -&gt; (B,D)
 * image.size, image.resize (bilinear|bicubic, default bicubic), image.mean, image.std
 * head.model, head.model.sha256       TorchScript: embedding (B,D) float32 -&gt; (B) or (B,1)
 * head.normalize-input                L2-normalise the embedding first (default true, as LAION)
 * </pre>
 */
public final class ImageHeadScorerFactory implements ScorerFactory {
  private final String name;
  private final String version;
  private final ImagePreprocessor preprocessor;
  private final boolean normalizeInput;
  private final TorchScriptModel encoder;
  private final TorchScriptModel head;

  private ImageHeadScorerFactory(String name, String version, ImagePreprocessor preprocessor,
      boolean normalizeInput, TorchScriptModel encoder, TorchScriptModel head) {
    this.name = name;
    this.version = version;
    this.preprocessor = preprocessor;
    this.normalizeInput = normalizeInput;
    this.encoder = encoder;
    this.head = head;
  }

  /**
   * Validates the descriptor, verifies and loads the models it names, and checks that they run.
   *
   * @throws ModelIntegrityException if a file's digest does not match
   * @throws IllegalArgumentException if the descriptor is invalid or a model does not load or run
   */
  public static ImageHeadScorerFactory open(String name, ScorerDescriptor descriptor) {
    ImagePreprocessor preprocessor = descriptor.imagePreprocessor();
    ModelFile encoderFile = descriptor.modelFile("image.model");
    ModelFile headFile = descriptor.modelFile("head.model");
    boolean normalizeInput = descriptor.booleanValue("head.normalize-input", true);
    descriptor.rejectUnusedKeys();
    TorchScriptModel encoder = TorchScriptModel.load(name + "-image", encoderFile);
    TorchScriptModel head = null;
    try {
      head = TorchScriptModel.load(name + "-head", headFile);
      ImageHeadScorerFactory factory = new ImageHeadScorerFactory(name,
          "ts-" + descriptor.fingerprint(), preprocessor, normalizeInput, encoder, head);
      SmokeTest.run(factory);
      return factory;
    } catch (RuntimeException e) {
      TorchScriptModel.closeAll(encoder, head);
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
  public ImageHeadScorer create() {
    Predictor<List<RgbImage>, float[][]> images =
        encoder.newPredictor(new ImageEncoderTranslator(preprocessor));
    try {
      Predictor<float[][], float[]> scores = head.newPredictor(new HeadTranslator());
      return new ImageHeadScorer(name, version, normalizeInput, images, scores);
    } catch (RuntimeException e) {
      images.close();
      throw e;
    }
  }

  @Override
  public void close() {
    TorchScriptModel.closeAll(encoder, head);
  }
}
