package dev.prefstream.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.ParameterList;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A text-conditioned noise predictor eps_theta(x_t, t, c), the network that Diffusion-DPO trains.
 * Images are (B, 3, S, S) float32 in [-1, 1] space, timesteps (B) float32, conditioning (B, L) int64
 * word ids from {@link #tokenizer()} (all padding = the null prompt). Implementations own their
 * native memory: close them.
 */
public interface DenoiserModel extends AutoCloseable {

  /**
   * Predicts the noise. The result lives in the manager of {@code noised}; with {@code training}
   * set, call it inside a gradient collector to get gradients on {@link #parameters()}.
   */
  NDArray predictNoise(NDArray noised, NDArray timesteps, NDArray tokens, boolean training);

  /**
   * The weight of a sample's noise-prediction error at a timestep with cumulative product
   * {@code alphaBar} in this model's denoising (pretraining) objective: 1 for a network that predicts
   * the noise; 1 / abar_t for v-prediction, which turns the noise error into the v error.
   */
  default double denoisingLossWeight(double alphaBar) {
    return 1;
  }

  /** The tokenizer whose ids this model was trained on. */
  WordTokenizer tokenizer();

  /** Side length of the square images the model works on. */
  int imageSize();

  /** Named parameters in a stable order. */
  ParameterList parameters();

  /** An independent model with the same architecture and parameter values, trainable. */
  DenoiserModel copy();

  /** Enables or disables gradients on every parameter (a reference network is not trainable). */
  default void setTrainable(boolean trainable) {
    parameters().values().forEach(p -> p.freeze(!trainable));
  }

  /** Overwrites this model's parameters with {@code source}'s (a hard reference update). */
  default void copyParametersFrom(DenoiserModel source) {
    ParameterTransfer.copy(source.parameters(), parameters());
  }

  /** this <- alpha * source + (1 - alpha) * this (a soft reference update). */
  default void blendParametersFrom(DenoiserModel source, float alpha) {
    ParameterTransfer.blend(source.parameters(), parameters(), alpha);
  }

  /** Writes the parameter values (names, shapes, float data); the architecture is not included. */
  default void saveParameters(OutputStream out) throws IOException {
    ParameterTransfer.save(parameters(), out);
  }

  /** Reads values written by {@link #saveParameters} of a model with the same architecture. */
  default void loadParameters(InputStream in) throws IOException {
    ParameterTransfer.load(in, parameters());
  }

  @Override
  void close();
}
