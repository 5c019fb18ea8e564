package dev.prefstream.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.prefstream.diffusion.Rng;
import dev.prefstream.diffusion.model.WordTokenizer;
import java.util.ArrayList;
import java.util.List;

/** Small helpers shared by the trainers and the implicit classifier. */
final class TrainingBatches {
  private TrainingBatches() {}

  /** (n, 3, size, size) standard normal noise drawn from {@code rng}. */
  static NDArray gaussian(NDManager manager, Rng rng, int n, int size) {
    float[] data = new float[n * 3 * size * size];
    rng.fillGaussian(data, 0, data.length);
    return manager.create(data, new Shape(n, 3, size, size));
  }

  /** Tokens of the prompts; prompts whose {@code drop} flag is set become the null prompt. */
  static NDArray tokens(NDManager manager, WordTokenizer tokenizer, List<String> prompts,
      boolean[] drop) {
    List<String> kept = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      kept.add(drop[i] ? "" : prompts.get(i));
    }
    return tokenizer.encode(manager, kept);
  }

  /** Float timesteps for the model input. */
  static NDArray times(NDManager manager, int[] t) {
    float[] data = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      data[i] = t[i];
    }
    return manager.create(data);
  }

  /** Per-image mean over all elements of (prediction - target)^2, float32, shape (n). */
  static NDArray perImageError(NDArray prediction, NDArray target) {
    long n = prediction.getShape().get(0);
    return prediction.sub(target).square().reshape(n, -1).mean(new int[] {1});
  }

  static double[] toDoubles(NDArray array) {
    float[] values = array.toFloatArray();
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
