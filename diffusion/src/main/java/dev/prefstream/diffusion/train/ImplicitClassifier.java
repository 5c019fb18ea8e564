package dev.prefstream.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.diffusion.ImageTensors;
import dev.prefstream.diffusion.Rng;
import dev.prefstream.diffusion.model.DenoiserModel;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The policy/reference pair read as a preference classifier (METHOD.md sections 1 and 3): the implicit
 * reward r_hat = factor * beta * (r - m) of an image and the pairwise z(A over B) at anchor timesteps.
 * Each pair (or image) gets one noise draw from its own seed, shared by both images and all anchors,
 * so results do not depend on batching. Runs without gradients.
 */
public final class ImplicitClassifier {
  private final DenoiserModel policy;
  private final DenoiserModel reference;
  private final NoiseSchedule schedule;
  private final double scale;
  private final DpoErrors errors;

  /** A classifier on noise errors (METHOD.md as written). */
  public ImplicitClassifier(DenoiserModel policy, DenoiserModel reference, NoiseSchedule schedule,
      double beta, BetaConvention convention) {
    this(policy, reference, schedule, beta, convention, DpoErrors.NOISE);
  }

  /** A classifier on the errors the model was trained with ({@link DpoErrors}). */
  public ImplicitClassifier(DenoiserModel policy, DenoiserModel reference, NoiseSchedule schedule,
      double beta, BetaConvention convention, DpoErrors errors) {
    this.policy = policy;
    this.reference = reference;
    this.schedule = schedule;
    this.scale = convention.factor() * beta;
    this.errors = errors;
  }

  /**
   * z[pair][anchor] = factor * beta * [(r_w - m_w) - (r_l - m_l)] with w = the pair's winner as given:
   * positive when the model agrees with that order. {@code noiseSeeds} holds one seed per pair.
   */
  public double[][] pairwiseZ(List<PreferencePair> pairs, int[] anchors, long[] noiseSeeds) {
    int n = pairs.size();
    List<RgbImage> images = new ArrayList<>(2 * n);
    List<String> prompts = new ArrayList<>(2 * n);
    pairs.forEach(p -> images.add(p.winner()));
    pairs.forEach(p -> images.add(p.loser()));
    pairs.forEach(p -> prompts.add(p.prompt()));
    pairs.forEach(p -> prompts.add(p.prompt()));
    double[][] advantage = advantage(images, prompts, anchors, noiseSeeds);
    double[][] z = new double[n][anchors.length];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < anchors.length; k++) {
        z[i][k] = scale * (advantage[i][k] - advantage[n + i][k]);
      }
    }
    return z;
  }

  /** r_hat per image: factor * beta * (r - m), averaged over the anchors; one noise seed per image. */
  public double[] implicitReward(List<RgbImage> images, List<String> prompts, int[] anchors,
      long[] noiseSeeds) {
    double[][] advantage = advantage(images, prompts, anchors, noiseSeeds);
    double[] reward = new double[images.size()];
    for (int i = 0; i < reward.length; i++) {
      double sum = 0;
      for (double a : advantage[i]) {
        sum += a;
      }
      reward[i] = scale * sum / anchors.length;
    }
    return reward;
  }

  /** (r - m) per image and anchor; image i uses the noise of seed {@code seeds[i % seeds.length]}. */
  private double[][] advantage(List<RgbImage> images, List<String> prompts, int[] anchors,
      long[] seeds) {
    double[][][] e = errors(images, prompts, anchors, seeds);
    double[][] out = new double[images.size()][anchors.length];
    for (int k = 0; k < anchors.length; k++) {
      double w = errors.weight(policy, schedule.alphaBar(anchors[k]));
      for (int i = 0; i < out.length; i++) {
        out[i][k] = w * (e[1][i][k] - e[0][i][k]);
      }
    }
    return out;
  }

  /**
   * The per-image noise errors behind z: [0] the policy's m, [1] the reference's r, each [image][anchor]; image
   * i uses the noise of seed {@code seeds[i % seeds.length]}.
   */
  double[][][] errors(List<RgbImage> images, List<String> prompts, int[] anchors, long[] seeds) {
    int n = images.size();
    if (n % seeds.length != 0 || prompts.size() != n) {
      throw new IllegalArgumentException("need one prompt per image and one seed per group");
    }
    double[][][] out = new double[2][n][anchors.length];
    int size = policy.imageSize();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x0 = ImageTensors.toModelSpace(manager, images);
      NDArray noise = noise(manager, seeds, n, size);
      NDArray tokens = policy.tokenizer().encode(manager, prompts);
      for (int k = 0; k < anchors.length; k++) {
        try (NDManager anchorManager = manager.newSubManager()) {
          int[] t = new int[n];
          Arrays.fill(t, anchors[k]);
          NDArray noised = schedule.addNoise(x0, noise, t);
          noised.attach(anchorManager);
          NDArray times = TrainingBatches.times(anchorManager, t);
          double[] m = TrainingBatches.toDoubles(TrainingBatches.perImageError(
              policy.predictNoise(noised, times, tokens, false), noise));
          double[] r = TrainingBatches.toDoubles(TrainingBatches.perImageError(
              reference.predictNoise(noised, times, tokens, false), noise));
          for (int i = 0; i < n; i++) {
            out[0][i][k] = m[i];
            out[1][i][k] = r[i];
          }
        }
      }
    }
    return out;
  }

  private static NDArray noise(NDManager manager, long[] seeds, int n, int size) {
    int perImage = 3 * size * size;
    float[] data = new float[n * perImage];
    for (int i = 0; i < n; i++) {
      new Rng(seeds[i % seeds.length]).fillGaussian(data, i * perImage, perImage);
    }
    return manager.create(data, new Shape(n, 3, size, size));
  }
}
