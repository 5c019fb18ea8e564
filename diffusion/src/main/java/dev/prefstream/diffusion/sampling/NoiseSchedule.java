package dev.prefstream.diffusion.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The DDPM forward process: betas rising linearly over the training timesteps and the cumulative
 * products abar_t, with x_t = sqrt(abar_t) * x_0 + sqrt(1 - abar_t) * eps.
 */
public final class NoiseSchedule {
  private final double[] alphaBar;

  private NoiseSchedule(double[] alphaBar) {
    this.alphaBar = alphaBar;
  }

  /** Betas linear from {@code betaStart} to {@code betaEnd} over {@code steps} timesteps. */
  public static NoiseSchedule linear(int steps, double betaStart, double betaEnd) {
    double[] alphaBar = new double[steps];
    double product = 1.0;
    for (int i = 0; i < steps; i++) {
      double beta = betaStart + (betaEnd - betaStart) * i / (steps - 1);
      product *= 1.0 - beta;
      alphaBar[i] = product;
    }
    return new NoiseSchedule(alphaBar);
  }

  /** The usual DDPM schedule: 1000 steps, betas from 1e-4 to 0.02. */
  public static NoiseSchedule ddpm() {
    return linear(1000, 1e-4, 0.02);
  }

  public int steps() {
    return alphaBar.length;
  }

  public double alphaBar(int t) {
    return alphaBar[t];
  }

  /** x_t for per-image timesteps {@code t}; the result lives in the manager of {@code x0}. */
  public NDArray addNoise(NDArray x0, NDArray eps, int[] t) {
    NDManager manager = x0.getManager();
    float[] signal = new float[t.length];
    float[] noise = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      signal[i] = (float) Math.sqrt(alphaBar[t[i]]);
      noise[i] = (float) Math.sqrt(1.0 - alphaBar[t[i]]);
    }
    Shape perImage = new Shape(t.length, 1, 1, 1);
    return x0.mul(manager.create(signal, perImage)).add(eps.mul(manager.create(noise, perImage)));
  }
}
