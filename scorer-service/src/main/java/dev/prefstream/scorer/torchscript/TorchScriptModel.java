package dev.prefstream.scorer.torchscript;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.Translator;
import dev.prefstream.core.model.ModelIntegrityException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A TorchScript module loaded into DJL's PyTorch engine after its digest was verified, on the
 * engine's default device (a GPU when DJL sees one). Parameters are frozen and inference runs
 * without autograd. The model is shared across threads; each thread makes its own predictor.
 */
final class TorchScriptModel implements AutoCloseable {
  private static final String ENGINE = "PyTorch";

  private final Model model;

  private TorchScriptModel(Model model) {
    this.model = model;
  }

  /**
   * Verifies the file's SHA-256, then loads it.
   *
   * @throws ModelIntegrityException if the digest does not match (nothing is loaded)
   */
  static TorchScriptModel load(String name, ModelFile file) {
    try {
      file.verify();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model file " + file.path(), e);
    }
    Model model = Model.newInstance(name, ENGINE);
    try {
      // mapLocation: load tensors onto this model's device, whatever device they were saved from
      model.load(file.path(), null, Map.of("mapLocation", "true"));
      return new TorchScriptModel(model);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new IllegalArgumentException("cannot load TorchScript module " + file.path() + ": "
          + e.getMessage(), e);
    }
  }

  /** A new predictor for the calling thread; the caller closes it. */
  <I, O> Predictor<I, O> newPredictor(Translator<I, O> translator) {
    return model.newPredictor(translator);
  }

  @Override
  public void close() {
    model.close();
  }
}
