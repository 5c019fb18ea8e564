package dev.prefstream.diffusion.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import dev.prefstream.diffusion.sampling.NoiseSchedule;

/**
 * The built-in denoiser: a {@link ConditionalUNet} held in its own DJL model. A v-predicting network's
 * output is turned into the noise with the DDPM schedule every prefstream model is trained on
 * ({@link NoiseSchedule#ddpm()}): eps = sqrt(abar_t) v + sqrt(1 - abar_t) x_t.
 */
public final class UNetDenoiser implements DenoiserModel {
  private static final NoiseSchedule SCHEDULE = NoiseSchedule.ddpm();

  private final Model model;
  private final ConditionalUNet unet;
  private final WordTokenizer tokenizer;

  private UNetDenoiser(UNetConfig config) {
    this.unet = new ConditionalUNet(config);
    this.tokenizer = config.tokenizer();
    this.model = Model.newInstance("unet", Device.cpu());
    model.setBlock(unet);
    int s = config.imageSize();
    unet.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, s, s), new Shape(1),
        new Shape(1, config.maxTokens()));
  }

  /** A freshly initialised network; the engine's random seed is set to {@code seed} first. */
  public static UNetDenoiser create(UNetConfig config, int seed) {
    Engine.getEngine("PyTorch").setRandomSeed(seed);
    return new UNetDenoiser(config);
  }

  public UNetConfig config() {
    return unet.config();
  }

  /** Floating-point operations of one forward pass per image (convolutions and linear layers). */
  public long forwardFlopsPerImage() {
    return unet.forwardFlopsPerImage();
  }

  /** The network itself, for checks that walk its layers ({@link KernelCheck}). */
  ConditionalUNet block() {
    return unet;
  }

  /** Number of scalar parameters. */
  public long parameterCount() {
    return parameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
  }

  @Override
  public NDArray predictNoise(NDArray noised, NDArray timesteps, NDArray tokens, boolean training) {
    ParameterStore store = new ParameterStore(noised.getManager(), false);
    NDArray output = unet.forward(store, new NDList(noised, timesteps, tokens), training).head();
    if (unet.config().prediction() == UNetConfig.Prediction.EPS) {
      return output;
    }
    float[] t = timesteps.toFloatArray();
    float[] signal = new float[t.length];
    float[] noise = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      double alphaBar = SCHEDULE.alphaBar(Math.round(t[i]));
      signal[i] = (float) Math.sqrt(alphaBar);
      noise[i] = (float) Math.sqrt(1 - alphaBar);
    }
    NDManager manager = noised.getManager();
    Shape perImage = new Shape(t.length, 1, 1, 1);
    return output.mul(manager.create(signal, perImage)).add(noised.mul(manager.create(noise, perImage)));
  }

  @Override
  public double denoisingLossWeight(double alphaBar) {
    return unet.config().prediction() == UNetConfig.Prediction.V ? 1 / alphaBar : 1;
  }

  @Override
  public WordTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public int imageSize() {
    return unet.config().imageSize();
  }

  @Override
  public ParameterList parameters() {
    return unet.getParameters();
  }

  @Override
  public UNetDenoiser copy() {
    UNetDenoiser copy = new UNetDenoiser(unet.config());
    copy.copyParametersFrom(this);
    return copy;
  }

  @Override
  public void close() {
    model.close();
  }
}
