package dev.prefstream.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Residual block conditioned by FiLM: GroupNorm-SiLU-Conv, GroupNorm modulated by a scale and shift
 * projected from the (timestep + prompt) embedding, SiLU-Conv, plus the input (1x1 conv when the
 * channel count changes). Inputs: x (B, Cin, H, W) and the embedding (B, E).
 */
final class ResBlock extends AbstractBlock {
  private final int inChannels;
  private final int outChannels;
  private final GroupNorm norm1;
  private final Conv2d conv1;
  private final Linear film;
  private final GroupNorm norm2;
  private final Conv2d conv2;
  private final Conv2d skip;

  ResBlock(int inChannels, int outChannels, int groups) {
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    norm1 = addChildBlock("norm1", new GroupNorm(groups, inChannels));
    conv1 = addChildBlock("conv1", ConditionalUNet.conv(outChannels, 3, 1));
    film = addChildBlock("film", Linear.builder().setUnits(2L * outChannels).build());
    norm2 = addChildBlock("norm2", new GroupNorm(groups, outChannels));
    conv2 = addChildBlock("conv2", ConditionalUNet.conv(outChannels, 3, 1));
    skip = inChannels == outChannels ? null
        : addChildBlock("skip", ConditionalUNet.conv(outChannels, 1, 1));
  }

  static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /** Multiply-adds times two for one image of {@code pixels} pixels and an embedding of {@code embDim}. */
  long flops(long pixels, int embDim) {
    long convs = 9L * inChannels * outChannels + 9L * outChannels * outChannels
        + (skip == null ? 0 : (long) inChannels * outChannels);
    return 2 * (convs * pixels + (long) embDim * 2 * outChannels);
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray embedding = inputs.get(1);
    NDArray h = conv1.forward(store, new NDList(silu(norm1.forward(store, new NDList(x), training)
        .head())), training).head();
    NDArray scaleShift = film.forward(store, new NDList(silu(embedding)), training).head()
        .reshape(-1, 2L * outChannels, 1, 1);
    NDList parts = scaleShift.split(2, 1);
    h = norm2.forward(store, new NDList(h), training).head();
    h = h.mul(parts.get(0).add(1f)).add(parts.get(1));
    h = conv2.forward(store, new NDList(silu(h)), training).head();
    NDArray residual = skip == null ? x : skip.forward(store, new NDList(x), training).head();
    return new NDList(h.add(residual));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    Shape out = new Shape(in.get(0), outChannels, in.get(2), in.get(3));
    norm1.initialize(manager, dataType, in);
    conv1.initialize(manager, dataType, in);
    film.initialize(manager, dataType, inputShapes[1]);
    norm2.initialize(manager, dataType, out);
    conv2.initialize(manager, dataType, out);
    if (skip != null) {
      skip.initialize(manager, dataType, in);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), outChannels, in.get(2), in.get(3))};
  }
}
