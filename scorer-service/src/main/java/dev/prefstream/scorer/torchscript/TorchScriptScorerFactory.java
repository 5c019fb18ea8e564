package dev.prefstream.scorer.torchscript;

import dev.prefstream.scorer.ScorerFactory;
import dev.prefstream.scorer.Versioned;
import java.util.function.Function;

/**
 * What the TorchScript scorer factories share: the name, the version (a fingerprint of the
 * descriptor's settings and digests), the models loaded once for every scorer the factory makes,
 * and how a factory opens: its models are verified and loaded, it scores a test image, and if any
 * step fails the models loaded so far are closed.
 */
abstract class TorchScriptScorerFactory extends Versioned implements ScorerFactory {
  private final Owned models;

  TorchScriptScorerFactory(String name, ScorerDescriptor descriptor, Owned models) {
    super(name, "ts-" + descriptor.fingerprint());
    this.models = models;
  }

  /**
   * The factory {@code make} makes of the models it loads with {@link #load}, once it has scored a
   * test image ({@link SmokeTest}).
   */
  static <F extends TorchScriptScorerFactory> F open(Function<Owned, F> make) {
    return Owned.making(models -> SmokeTest.run(make.apply(models)));
  }

  /** Verifies and loads {@code file} into {@code models}, named {@code <scorer>-<role>}. */
  static TorchScriptModel load(Owned models, String scorer, String role, ModelFile file) {
    return models.add(TorchScriptModel.load(scorer + "-" + role, file));
  }

  @Override
  public final void close() {
    models.close();
  }
}
