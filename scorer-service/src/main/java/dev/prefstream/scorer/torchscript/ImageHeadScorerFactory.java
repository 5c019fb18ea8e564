package dev.prefstream.scorer.torchscript;

import dev.prefstream.core.model.ModelIntegrityException;

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
public final class ImageHeadScorerFactory extends TorchScriptScorerFactory {
  private final ImagePreprocessor preprocessor;
  private final boolean normalizeInput;
  private final TorchScriptModel encoder;
  private final TorchScriptModel head;

  private ImageHeadScorerFactory(String name, ScorerDescriptor descriptor, Owned models,
      ImagePreprocessor preprocessor, boolean normalizeInput, TorchScriptModel encoder,
      TorchScriptModel head) {
    super(name, descriptor, models);
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
    return open(models -> new ImageHeadScorerFactory(name, descriptor, models, preprocessor,
        normalizeInput, load(models, name, "image", encoderFile),
        load(models, name, "head", headFile)));
  }

  @Override
  public ImageHeadScorer create() {
    return Owned.making(owned -> new ImageHeadScorer(name(), version(), owned, normalizeInput,
        owned.add(encoder.newPredictor(new ImageEncoderTranslator(preprocessor))),
        owned.add(head.newPredictor(new HeadTranslator()))));
  }
}
