package dev.prefstream.sim.eval;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.model.DenoiserModel;
import dev.prefstream.diffusion.sampling.DdimSampler;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import dev.prefstream.diffusion.store.StoredUNet;
import dev.prefstream.sim.world.Prompt;
import java.util.List;

/**
 * A model's images: seeded DDIM sampling with classifier-free guidance. Owns its model (closing this
 * closes it). Not thread-safe: one source per thread.
 */
public final class ModelImageSource implements ImageSource, AutoCloseable {
  private final DenoiserModel model;
  private final DdimSampler sampler;
  private final float guidanceScale;

  /** Takes ownership of {@code model}. */
  public ModelImageSource(DenoiserModel model, int ddimSteps, float guidanceScale) {
    this.model = model;
    this.sampler = new DdimSampler(NoiseSchedule.ddpm(), ddimSteps);
    this.guidanceScale = guidanceScale;
  }

  /** Version {@code version} of {@code name} from the store, digests verified before loading. */
  public static ModelImageSource fromStore(ModelStore store, String name, int version, int ddimSteps,
      float guidanceScale) {
    return new ModelImageSource(StoredUNet.load(store.version(name, version)), ddimSteps, guidanceScale);
  }

  @Override
  public List<RgbImage> generate(List<Prompt> prompts, long[] seeds) {
    return sampler.sample(model, prompts.stream().map(Prompt::text).toList(), seeds, guidanceScale);
  }

  @Override
  public void close() {
    model.close();
  }
}
