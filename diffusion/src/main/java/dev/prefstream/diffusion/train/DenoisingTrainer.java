package dev.prefstream.diffusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.diffusion.ImageTensors;
import dev.prefstream.diffusion.Rng;
import dev.prefstream.diffusion.model.DenoiserModel;
import dev.prefstream.diffusion.model.KernelCheck;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import java.util.List;

/**
 * Plain denoising pretraining: minimises the model's own denoising error at uniform timesteps (the
 * noise error for a noise predictor, the v error for v-prediction:
 * {@link DenoiserModel#denoisingLossWeight}), with AdamW (weight decay 0.01, clip 1.0) and per-image caption dropout so the
 * model also learns the null prompt used by classifier-free guidance.
 */
public final class DenoisingTrainer implements AutoCloseable {
  private final DenoiserModel model;
  private final NoiseSchedule schedule;
  private final double captionDropout;
  private final AdamW optimizer;
  private final Rng rng;

  public DenoisingTrainer(DenoiserModel model, NoiseSchedule schedule, float learningRate,
      double captionDropout, long seed) {
    KernelCheck.verify(model);
    this.model = model;
    this.schedule = schedule;
    this.captionDropout = captionDropout;
    this.optimizer = new AdamW(learningRate, 0, 0.01f, 1f);
    this.rng = new Rng(seed);
    model.setTrainable(true);
  }

  /** One optimizer step on the images and their prompts; returns the loss before the update. */
  public double step(List<RgbImage> images, List<String> prompts) {
    int n = images.size();
    int[] t = new int[n];
    boolean[] drop = new boolean[n];
    for (int i = 0; i < n; i++) {
      t[i] = rng.nextInt(schedule.steps());
      drop[i] = rng.nextDouble() < captionDropout;
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x0 = ImageTensors.toModelSpace(manager, images);
      NDArray noise = TrainingBatches.gaussian(manager, rng, n, model.imageSize());
      NDArray noised = schedule.addNoise(x0, noise, t);
      NDArray tokens = TrainingBatches.tokens(manager, model.tokenizer(), prompts, drop);
      NDArray loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray prediction = model.predictNoise(noised, TrainingBatches.times(manager, t), tokens, true);
        // per image, the noise error weighted into the model's own objective (the v error for v-prediction)
        float[] weights = new float[n];
        for (int i = 0; i < n; i++) {
          weights[i] = (float) model.denoisingLossWeight(schedule.alphaBar(t[i]));
        }
        loss = prediction.sub(noise).square().reshape(n, -1).mean(new int[] {1})
            .mul(manager.create(weights)).mean();
        collector.backward(loss);
      }
      optimizer.step(model.parameters());
      return loss.getFloat();
    }
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
