package dev.prefstream.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (decoupled weight decay) over a model's parameter arrays, with global grad-norm clipping and
 * a constant learning rate after a linear warm-up. Written here rather than taken from DJL because
 * DJL's optimizers keep their moments internally with no way to save them; these moments, the step
 * count and the settings round-trip through {@link #save} / {@link #load}.
 */
public final class AdamW implements AutoCloseable {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final float learningRate;
  private final int warmupSteps;
  private final float weightDecay;
  private final float maxGradNorm;
  private final NDManager manager = NDManager.newBaseManager();
  private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
  private long steps;

  public AdamW(float learningRate, int warmupSteps, float weightDecay, float maxGradNorm) {
    this.learningRate = learningRate;
    this.warmupSteps = warmupSteps;
    this.weightDecay = weightDecay;
    this.maxGradNorm = maxGradNorm;
  }

  /** Optimizer steps taken so far. */
  public long steps() {
    return steps;
  }

  /** The learning rate of the next step: linear warm-up to the constant rate. */
  public float currentLearningRate() {
    return warmupSteps <= 0 ? learningRate
        : learningRate * Math.min(1f, (steps + 1) / (float) warmupSteps);
  }

  /**
   * Updates every trainable parameter from its accumulated gradient, then zeroes the gradients.
   * Returns the global gradient L2 norm before clipping.
   */
  public double step(ParameterList parameters) {
    float lr = currentLearningRate();
    try (NDManager scratch = manager.newSubManager()) {
      List<Trainable> trainable = new ArrayList<>();
      NDArray squares = null;
      for (Pair<String, Parameter> p : parameters) {
        NDArray weight = p.getValue().getArray();
        if (!weight.hasGradient()) {
          continue;
        }
        NDArray grad = weight.getGradient();
        grad.attach(scratch);
        trainable.add(new Trainable(p.getKey(), weight, grad));
        NDArray square = grad.square().sum();
        squares = squares == null ? square : squares.add(square);
      }
      if (squares == null) {
        return 0;
      }
      double norm = Math.sqrt(squares.getFloat());
      float clip = norm > maxGradNorm ? (float) (maxGradNorm / (norm + 1e-6)) : 1f;
      steps++;
      float correction1 = 1f - (float) Math.pow(BETA1, steps);
      float correction2 = 1f - (float) Math.pow(BETA2, steps);
      for (Trainable t : trainable) {
        update(t, clip, lr, correction1, correction2, scratch);
      }
      return norm;
    }
  }

  private void update(Trainable t, float clip, float lr, float correction1, float correction2,
      NDManager scratch) {
    NDArray weight = t.weight();
    NDArray grad = t.grad();
    NDArray[] mv = moments.computeIfAbsent(t.name(), name -> new NDArray[] {
        manager.zeros(weight.getShape()), manager.zeros(weight.getShape())});
    NDArray g = clip < 1f ? grad.mul(clip) : grad;
    mv[0].muli(BETA1).addi(g.mul(1f - BETA1));
    mv[1].muli(BETA2).addi(g.square().muli(1f - BETA2));
    NDArray root = mv[1].div(correction2);
    root.attach(scratch);
    NDArray denominator = root.sqrt().addi(EPSILON);
    NDArray step = mv[0].div(denominator);
    step.attach(scratch);
    weight.muli(1f - lr * weightDecay).subi(step.muli(lr / correction1));
    grad.subi(grad);
  }

  private record Trainable(String name, NDArray weight, NDArray grad) {}

  /** Writes the step count and both moments of every parameter seen so far. */
  public void save(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeLong(steps);
    data.writeInt(moments.size());
    for (Map.Entry<String, NDArray[]> e : moments.entrySet()) {
      data.writeUTF(e.getKey());
      for (NDArray moment : e.getValue()) {
        byte[] encoded = moment.encode();
        data.writeInt(encoded.length);
        data.write(encoded);
      }
    }
    data.flush();
  }

  /** Restores what {@link #save} wrote, replacing the current state. */
  public void load(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    long savedSteps = data.readLong();
    int count = data.readInt();
    Map<String, NDArray[]> loaded = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String key = data.readUTF();
      NDArray[] mv = new NDArray[2];
      for (int j = 0; j < 2; j++) {
        mv[j] = manager.decode(data.readNBytes(data.readInt()));
      }
      loaded.put(key, mv);
    }
    moments.values().forEach(mv -> {
      mv[0].close();
      mv[1].close();
    });
    moments.clear();
    moments.putAll(loaded);
    steps = savedSteps;
  }

  @Override
  public void close() {
    manager.close();
  }
}
