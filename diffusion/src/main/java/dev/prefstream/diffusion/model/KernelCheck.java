package dev.prefstream.diffusion.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import dev.prefstream.diffusion.Rng;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that libtorch's float32 convolution kernels compute what they should, forward and backward,
 * for every convolution shape of a model, before anything trains on them.
 *
 * <p>Why: oneDNN, which libtorch uses for float32 convolutions, picks a JIT kernel per CPU. On some
 * CPUs (measured: AMD family 26, with AVX-512) its AVX-512 and AVX2 kernels return wrong input
 * gradients for a 32 -> 3 channel convolution (the UNet's output layer: off by about 200%) and wrong
 * outputs for input channel counts that are not a multiple of 16, so every gradient reaching the rest of
 * the network is wrong, and training silently makes the model worse. {@code ONEDNN_MAX_CPU_ISA} caps
 * the kernels oneDNN may use; it is read once, when libtorch starts, so it must be in the process
 * environment (docs/decisions/0011).
 *
 * <p>How: each convolution runs at batch 2 in float32 (oneDNN) and in float64 (ATen's own kernels,
 * which oneDNN does not serve), on the same values. Every output and gradient element of float32 must
 * lie within the worst-case rounding bound of a float32 sum of n products (Higham: gamma(n) =
 * n u / (1 - n u), u = 2^-24) times the same sum taken over absolute values, which the float64 pass
 * computes too. A correct kernel, whatever its summation order or vector width, stays inside that
 * bound; the faults above exceed it by orders of magnitude.
 */
public final class KernelCheck {
  private static final Logger LOG = LoggerFactory.getLogger(KernelCheck.class);
  private static final double UNIT_ROUNDOFF = Math.ulp(1.0f) / 2;
  private static final int BATCH = 2;
  private static final Set<Geometry> VERIFIED = ConcurrentHashMap.newKeySet();

  private KernelCheck() {}

  /** One convolution: input (channels, height, width), filters, square kernel, stride and padding. */
  public record Geometry(int inChannels, int height, int width, int filters, int kernel, int stride,
      int padding) {
    @Override
    public String toString() {
      return String.format("%dx%dx%d -> %d, %dx%d kernel, stride %d", inChannels, height, width,
          filters, kernel, kernel, stride);
    }
  }

  /**
   * Verifies every convolution of the model (once per shape and process); a no-op for models that are
   * not built-in UNets.
   *
   * @throws IllegalStateException naming the shape, the error and the fix when a kernel is wrong
   */
  public static void verify(DenoiserModel model) {
    if (model instanceof UNetDenoiser unet) {
      verify(geometries(unet.block()));
    }
  }

  static void verify(Iterable<Geometry> geometries) {
    for (Geometry g : geometries) {
      if (VERIFIED.contains(g)) {
        continue;
      }
      double excess = worstExcess(g);
      if (!(excess <= 1)) {
        String isa = System.getenv("ONEDNN_MAX_CPU_ISA");
        throw new IllegalStateException(String.format("libtorch's float32 convolution kernels are "
            + "wrong on this CPU for %s: an output or gradient is %.3g times outside its rounding bound "
            + "(ONEDNN_MAX_CPU_ISA=%s). Training on them would corrupt the model. Start the process "
            + "with ONEDNN_MAX_CPU_ISA=SSE41 in its environment (the prefstream command and the tests "
            + "do this unless it is set); see docs/decisions/0011.", g, excess,
            isa == null ? "unset" : isa));
      }
      VERIFIED.add(g);
      LOG.debug("convolution kernels verified for {} ({} of the bound)", g, excess);
    }
  }

  /** The distinct convolutions of an initialised block tree, in the order they appear. */
  static List<Geometry> geometries(Block root) {
    Set<Geometry> found = new LinkedHashSet<>();
    collect(root, found);
    return new ArrayList<>(found);
  }

  private static void collect(Block block, Set<Geometry> found) {
    if (block instanceof Conv2d conv) {
      Shape in = conv.getInputShapes()[0];
      found.add(new Geometry((int) in.get(1), (int) in.get(2), (int) in.get(3), conv.getFilters(),
          (int) conv.getKernelShape().get(0), (int) conv.getStride().get(0),
          (int) conv.getPadding().get(0)));
    }
    block.getChildren().values().forEach(child -> collect(child, found));
  }

  /**
   * The largest ratio, over the output and the three gradients, of |float32 - float64| to its bound;
   * at most 1 for a correct kernel, NaN when float32 gave NaN.
   */
  static double worstExcess(Geometry g) {
    try (NDManager manager = NDManager.newBaseManager()) {
      Rng rng = new Rng(31L * g.hashCode() + 7);
      float[] x = gaussian(rng, BATCH * g.inChannels() * g.height() * g.width());
      float[] w = gaussian(rng, g.filters() * g.inChannels() * g.kernel() * g.kernel());
      float[] b = gaussian(rng, g.filters());
      Shape xs = new Shape(BATCH, g.inChannels(), g.height(), g.width());
      Shape ws = new Shape(g.filters(), g.inChannels(), g.kernel(), g.kernel());
      int outH = (g.height() + 2 * g.padding() - g.kernel()) / g.stride() + 1;
      int outW = (g.width() + 2 * g.padding() - g.kernel()) / g.stride() + 1;
      float[] up = gaussian(rng, BATCH * g.filters() * outH * outW);
      Shape ys = new Shape(BATCH, g.filters(), outH, outW);

      NDArray[] single = run(manager, g, DataType.FLOAT32, x, xs, w, ws, b, up, ys, false);
      NDArray[] exact = run(manager, g, DataType.FLOAT64, x, xs, w, ws, b, up, ys, false);
      NDArray[] magnitude = run(manager, g, DataType.FLOAT64, x, xs, w, ws, b, up, ys, true);
      // Terms summed per element: output, input gradient, weight gradient, bias gradient.
      long perOutput = (long) g.inChannels() * g.kernel() * g.kernel() + 1;
      long perInput = (long) g.filters() * g.kernel() * g.kernel();
      long perWeight = (long) BATCH * outH * outW;
      long[] terms = {perOutput, perInput, perWeight, perWeight};
      double worst = 0;
      for (int i = 0; i < 4; i++) {
        double gamma = gamma(terms[i] + 1);
        double[] s = single[i].toType(DataType.FLOAT64, false).toDoubleArray();
        double[] e = exact[i].toDoubleArray();
        double[] m = magnitude[i].toDoubleArray();
        for (int k = 0; k < s.length; k++) {
          // The smallest normal float bounds what underflow can add to an element.
          double bound = gamma * m[k] + Float.MIN_NORMAL;
          double excess = Math.abs(s[k] - e[k]) / bound;
          if (Double.isNaN(excess)) {
            return Double.NaN;
          }
          worst = Math.max(worst, excess);
        }
      }
      return worst;
    }
  }

  /** gamma(n) = n u / (1 - n u): the relative bound of a float32 sum of n rounded terms. */
  static double gamma(long n) {
    double nu = n * UNIT_ROUNDOFF;
    return nu / (1 - nu);
  }

  /**
   * Output, input gradient, weight gradient and bias gradient of the convolution with upstream
   * gradient {@code up}; with {@code absolute}, of |x|, |w|, |b| and |up| (the magnitude of each sum).
   */
  private static NDArray[] run(NDManager manager, Geometry g, DataType type, float[] x, Shape xs,
      float[] w, Shape ws, float[] b, float[] up, Shape ys, boolean absolute) {
    NDArray input = array(manager, x, xs, type, absolute);
    NDArray weight = array(manager, w, ws, type, absolute);
    NDArray bias = array(manager, b, new Shape(g.filters()), type, absolute);
    NDArray upstream = array(manager, up, ys, type, absolute);
    input.setRequiresGradient(true);
    weight.setRequiresGradient(true);
    bias.setRequiresGradient(true);
    NDArray output;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      output = Conv2d.conv2d(input, weight, bias, new Shape(g.stride(), g.stride()),
          new Shape(g.padding(), g.padding()), new Shape(1, 1), 1).singletonOrThrow();
      collector.backward(output.mul(upstream).sum());
    }
    return new NDArray[] {output, input.getGradient(), weight.getGradient(), bias.getGradient()};
  }

  private static NDArray array(NDManager manager, float[] values, Shape shape, DataType type,
      boolean absolute) {
    NDArray a = manager.create(values, shape).toType(type, false);
    return absolute ? a.abs() : a;
  }

  private static float[] gaussian(Rng rng, int n) {
    float[] out = new float[n];
    rng.fillGaussian(out, 0, n);
    return out;
  }
}
