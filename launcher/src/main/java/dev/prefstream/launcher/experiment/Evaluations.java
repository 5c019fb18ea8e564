package dev.prefstream.launcher.experiment;

import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.model.DenoiserModel;
import dev.prefstream.sim.eval.CachedImageSource;
import dev.prefstream.sim.eval.EvaluationConfig;
import dev.prefstream.sim.eval.EvaluationResult;
import dev.prefstream.sim.eval.Evaluator;
import dev.prefstream.sim.eval.ModelImageSource;

/**
 * Evaluates model versions against the base with the simulator's {@link Evaluator} (held-out prompts,
 * fixed seeds, every scorer and oracle metric, bootstrap intervals over prompts). The base's images
 * are sampled once per process and reused by every evaluation; sampling is seeded per image, so the
 * cached images are the ones a fresh sampling would give.
 */
final class Evaluations implements AutoCloseable {
  static final int DDIM_STEPS = 20;
  static final float GUIDANCE = 3.0f;

  private final EvaluationConfig config;
  private final ModelImageSource baseModel;
  private final CachedImageSource base;

  Evaluations(EvaluationConfig config, DenoiserModel baseModel) {
    this.config = config.keepingImages();
    this.baseModel = new ModelImageSource(baseModel, DDIM_STEPS, GUIDANCE);
    this.base = new CachedImageSource(this.baseModel);
  }

  EvaluationConfig config() {
    return config;
  }

  /** Version {@code version} of the model in {@code store} against the base. */
  EvaluationResult evaluate(ModelStore store, String model, int version) {
    try (ModelImageSource candidate = ModelImageSource.fromStore(store, model, version, DDIM_STEPS, GUIDANCE)) {
      return new Evaluator(config).evaluate(candidate, base);
    }
  }

  @Override
  public void close() {
    baseModel.close();
  }
}
