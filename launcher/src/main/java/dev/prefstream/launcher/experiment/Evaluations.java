package dev.prefstream.launcher.experiment;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.model.DenoiserModel;
import dev.prefstream.sim.eval.EvaluationConfig;
import dev.prefstream.sim.eval.EvaluationResult;
import dev.prefstream.sim.eval.Evaluator;
import dev.prefstream.sim.eval.ImageSource;
import dev.prefstream.sim.eval.ModelImageSource;
import dev.prefstream.sim.world.Prompt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
  private final CachedSource base;

  Evaluations(EvaluationConfig config, DenoiserModel baseModel) {
    this.config = config.keepingImages();
    this.base = new CachedSource(new ModelImageSource(baseModel, DDIM_STEPS, GUIDANCE));
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
    base.source.close();
  }

  /** Remembers every image by (prompt, seed). */
  private static final class CachedSource implements ImageSource {
    private final ModelImageSource source;
    private final Map<String, RgbImage> cache = new HashMap<>();

    CachedSource(ModelImageSource source) {
      this.source = source;
    }

    @Override
    public List<RgbImage> generate(List<Prompt> prompts, long[] seeds) {
      List<Prompt> missingPrompts = new ArrayList<>();
      List<Long> missingSeeds = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        if (!cache.containsKey(key(prompts.get(i), seeds[i]))) {
          missingPrompts.add(prompts.get(i));
          missingSeeds.add(seeds[i]);
        }
      }
      if (!missingPrompts.isEmpty()) {
        List<RgbImage> made = source.generate(missingPrompts,
            missingSeeds.stream().mapToLong(Long::longValue).toArray());
        for (int i = 0; i < made.size(); i++) {
          cache.put(key(missingPrompts.get(i), missingSeeds.get(i)), made.get(i));
        }
      }
      List<RgbImage> out = new ArrayList<>(prompts.size());
      for (int i = 0; i < prompts.size(); i++) {
        out.add(cache.get(key(prompts.get(i), seeds[i])));
      }
      return out;
    }

    private static String key(Prompt prompt, long seed) {
      return seed + "|" + prompt.text();
    }
  }
}
