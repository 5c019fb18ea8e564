package dev.prefstream.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalisation of an NCHW input, which DJL lacks: the native layer norm over
 * (B, G, C/G*H*W) followed by a learned per-channel scale and shift.
 */
final class GroupNorm extends AbstractBlock {
  private static final float EPSILON = 1e-5f;

  private final int groups;
  private final int channels;
  private final Parameter gamma;
  private final Parameter beta;

  GroupNorm(int groups, int channels) {
    if (channels % groups != 0) {
      throw new IllegalArgumentException(channels + " channels do not split into " + groups + " groups");
    }
    this.groups = groups;
    this.channels = channels;
    gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
        .optShape(new Shape(channels)).build());
    beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
        .optShape(new Shape(channels)).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDManager manager = x.getManager();
    Shape shape = x.getShape();
    long perGroup = shape.size() / shape.get(0) / groups;
    Shape normShape = new Shape(perGroup);
    NDArray normalised = LayerNorm.layerNorm(x.reshape(shape.get(0), groups, perGroup), normShape,
        manager.ones(normShape), manager.zeros(normShape), EPSILON).head().reshape(shape);
    // Ops whose first operand is a parameter land in the model's manager: move them to the step's.
    NDArray scale = store.getValue(gamma, x.getDevice(), training).reshape(1, channels, 1, 1);
    scale.attach(manager);
    NDArray shift = store.getValue(beta, x.getDevice(), training).reshape(1, channels, 1, 1);
    shift.attach(manager);
    return new NDList(normalised.mul(scale).add(shift));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
