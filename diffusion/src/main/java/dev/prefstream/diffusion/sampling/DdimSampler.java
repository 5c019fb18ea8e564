package dev.prefstream.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.diffusion.ImageTensors;
import dev.prefstream.diffusion.Rng;
import dev.prefstream.diffusion.model.DenoiserModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Deterministic DDIM sampling (eta = 0) with classifier-free guidance. Each image starts from noise
 * drawn from its own seed, so an image depends only on (model, prompt, seed, settings), not on the
 * batch it was generated in.
 */
public final class DdimSampler {
  private final NoiseSchedule schedule;
  private final int steps;

  /** {@code steps} evenly spaced timesteps of the schedule (20 is the usual choice). */
  public DdimSampler(NoiseSchedule schedule, int steps) {
    if (steps <= 0 || steps > schedule.steps()) {
      throw new IllegalArgumentException("steps must be in [1, " + schedule.steps() + "]: " + steps);
    }
    this.schedule = schedule;
    this.steps = steps;
  }

  /**
   * Generates one image per prompt, batched. {@code guidanceScale} 1 means no guidance (one forward
   * pass per step); above 1 the conditional prediction is pushed away from the null-prompt one.
   */
  public List<RgbImage> sample(DenoiserModel model, List<String> prompts, long[] seeds,
      float guidanceScale) {
    if (prompts.size() != seeds.length) {
      throw new IllegalArgumentException(prompts.size() + " prompts but " + seeds.length + " seeds");
    }
    int n = prompts.size();
    int size = model.imageSize();
    boolean guided = guidanceScale != 1f;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray tokens = model.tokenizer().encode(manager, prompts);
      if (guided) {
        tokens = tokens.concat(model.tokenizer().encode(manager, Collections.nCopies(n, "")), 0);
      }
      NDArray x = initialNoise(manager, seeds, size);
      int stride = schedule.steps() / steps;
      for (int i = steps - 1; i >= 0; i--) {
        int t = i * stride;
        double alpha = schedule.alphaBar(t);
        double alphaPrev = i == 0 ? 1.0 : schedule.alphaBar((i - 1) * stride);
        try (NDManager stepManager = manager.newSubManager()) {
          x.attach(stepManager);
          NDArray eps = predict(model, x, tokens, t, guided, guidanceScale);
          NDArray x0 = x.sub(eps.mul(Math.sqrt(1 - alpha))).div(Math.sqrt(alpha)).clip(-1f, 1f);
          eps = x.sub(x0.mul(Math.sqrt(alpha))).div(Math.sqrt(1 - alpha));
          x = x0.mul(Math.sqrt(alphaPrev)).add(eps.mul(Math.sqrt(1 - alphaPrev)));
          x.attach(manager);
        }
      }
      return ImageTensors.fromModelSpace(x);
    }
  }

  private static NDArray predict(DenoiserModel model, NDArray x, NDArray tokens, int t,
      boolean guided, float guidanceScale) {
    NDManager manager = x.getManager();
    long n = x.getShape().get(0);
    NDArray input = guided ? x.concat(x, 0) : x;
    NDArray times = manager.full(new Shape(input.getShape().get(0)), (float) t);
    NDArray eps = model.predictNoise(input, times, tokens, false);
    if (!guided) {
      return eps;
    }
    NDArray conditional = eps.get("0:" + n);
    NDArray unconditional = eps.get(n + ":");
    return unconditional.add(conditional.sub(unconditional).mul(guidanceScale));
  }

  private static NDArray initialNoise(NDManager manager, long[] seeds, int size) {
    int perImage = 3 * size * size;
    float[] data = new float[seeds.length * perImage];
    for (int i = 0; i < seeds.length; i++) {
      new Rng(seeds[i]).fillGaussian(data, i * perImage, perImage);
    }
    return manager.create(data, new Shape(seeds.length, 3, size, size));
  }

  /** Convenience for callers that sample one prompt many times: seeds {@code first, first+1, ...}. */
  public List<RgbImage> sample(DenoiserModel model, String prompt, int count, long firstSeed,
      float guidanceScale) {
    long[] seeds = new long[count];
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      seeds[i] = firstSeed + i;
      prompts.add(prompt);
    }
    return sample(model, prompts, seeds, guidanceScale);
  }
}
