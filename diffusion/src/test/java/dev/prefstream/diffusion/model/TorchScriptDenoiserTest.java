package dev.prefstream.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import dev.prefstream.diffusion.TestImages;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import dev.prefstream.diffusion.train.DpoConfig;
import dev.prefstream.diffusion.train.DpoStepResult;
import dev.prefstream.diffusion.train.DpoTrainer;
import dev.prefstream.diffusion.train.PreferencePair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fixture tiny_denoiser.pt and the expected values come from
 * src/test/python/make_ts_denoiser.py (torch 1.13, Debian's python3-torch).
 */
class TorchScriptDenoiserTest {
  private static final double PY_OUT_SUM = -303.453918;
  private static final double PY_OUT_ABS_SUM = 663.498718;
  private static final double PY_OUT_1_2_5_7 = -0.165223;
  private static final double PY_MEAN_SQUARE = 0.310985;
  private static final double PY_GRAD_NORM = 4.218769;
  private static final int PY_PARAMETERS = 539;

  /**
   * Rounded terms on the path to one output: x's sine (within 1 ulp, 2u), conv_in (3 * 9 + 1),
   * GroupNorm's mean and variance (a group is 2 channels * 16 * 16), the elementwise steps between
   * (normalise, affine, SiLU, time and 4-word conditioning: 16), conv_out (8 * 9 + 1).
   */
  private static final int FORWARD = 2 + 28 + 2 * 512 + 16 + 73;
  /**
   * From the loss back to the deepest weight: d mean(o^2) / do (2), conv_out's input gradient
   * (3 * 9), GroupNorm's two backward sums and elementwise steps, conv_in's weight gradient (a sum
   * over 2 * 16 * 16 positions).
   */
  private static final int BACKWARD = 2 + 27 + 2 * 512 + 16 + 512;

  private static final WordTokenizer TOKENIZER =
      new WordTokenizer(List.of("a", "red", "blue", "square", "on", "gray"), 4);

  static TorchScriptDenoiser load() throws Exception {
    Path file = Path.of(TorchScriptDenoiserTest.class.getResource("/ts/tiny_denoiser.pt").toURI());
    return TorchScriptDenoiser.load(file, 16, TOKENIZER);
  }

  @Test
  void outputAndGradientsMatchPython() throws Exception {
    try (TorchScriptDenoiser model = load(); NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.arange(0f, 2f * 3 * 16 * 16).mul(0.37f).sin().reshape(2, 3, 16, 16);
      NDArray t = manager.create(new float[] {10f, 500f});
      NDArray tokens = manager.create(new long[] {2, 3, 0, 0, 5, 1, 4, 0}, new Shape(2, 4));
      NDArray out = model.predictNoise(x, t, tokens, false);
      // The sums add 2 * 3 * 16 * 16 outputs to the path; their size is the sum of |output|. A wrong
      // token, swapped timesteps or a transposed input move one or both by 1.5 to 60.
      assertEquals(PY_OUT_SUM, out.sum().getFloat(), bound(FORWARD + 1536, PY_OUT_ABS_SUM));
      assertEquals(PY_OUT_ABS_SUM, out.abs().sum().getFloat(), bound(FORWARD + 1536, PY_OUT_ABS_SUM));
      assertEquals(PY_OUT_1_2_5_7, out.getFloat(1, 2, 5, 7),
          bound(FORWARD, Math.abs(PY_OUT_1_2_5_7)));

      long count = model.parameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
      assertEquals(PY_PARAMETERS, count);
      NDArray loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        loss = model.predictNoise(x, t, tokens, true).square().mean();
        collector.backward(loss);
      }
      // Squaring doubles an output's relative error, then 1536 squares are summed and divided.
      assertEquals(PY_MEAN_SQUARE, loss.getFloat(), bound(2 * FORWARD + 1537, PY_MEAN_SQUARE));
      double squares = 0;
      for (Pair<String, Parameter> p : model.parameters()) {
        try (NDArray grad = p.getValue().getArray().getGradient()) {
          squares += grad.square().sum().getFloat();
          grad.subi(grad);
        }
      }
      // sqrt of a sum of 539 squared gradients: relative error at most gamma(FORWARD + BACKWARD +
      // 539), about 0.04%; a parameter left out of training fails getGradient() above.
      assertEquals(PY_GRAD_NORM, Math.sqrt(squares), bound(FORWARD + BACKWARD + 539, PY_GRAD_NORM));
    }
  }

  /**
   * Python's float32 run and this one (other kernels, another CPU) each lie within gamma(n) times the
   * magnitude of the exact value, n the rounded terms on its path (Higham: gamma(n) = n u / (1 - n u),
   * u = 2^-24; the gammas of successive steps add up to at most gamma of their total), a value's own
   * size standing for its terms' (as in ImplicitClassifierTest); the fixture prints 6 decimals, 5e-7.
   */
  private static double bound(int terms, double magnitude) {
    return 2 * KernelCheck.gamma(terms) * magnitude + 5e-7;
  }

  @Test
  void trainsWithDiffusionDpoAgainstAFrozenCopyAndRoundTripsParameters() throws Exception {
    Random random = new Random(3);
    List<PreferencePair> pairs = List.of(
        new PreferencePair(TestImages.square(16, true, random), TestImages.square(16, false, random),
            "a red square"),
        new PreferencePair(TestImages.square(16, true, random), TestImages.square(16, false, random),
            "a red square"));
    try (TorchScriptDenoiser policy = load();
        TorchScriptDenoiser reference = policy.copy();
        DpoTrainer trainer = new DpoTrainer(policy, reference, NoiseSchedule.ddpm(),
            DpoConfig.defaults().withLearningRate(1e-2f, 0), 5)) {
      byte[] referenceBefore = bytes(reference);
      byte[] policyBefore = bytes(policy);
      DpoStepResult first = trainer.step(pairs);
      DpoStepResult second = trainer.step(pairs);
      assertEquals(Math.log(2), first.loss(), 1e-6);
      assertTrue(second.gradNorm() > 0 && Double.isFinite(second.loss()), second.toString());
      assertArrayEquals(referenceBefore, bytes(reference));
      byte[] trained = bytes(policy);
      assertFalse(Arrays.equals(policyBefore, trained));

      reference.loadParameters(new ByteArrayInputStream(trained));
      assertArrayEquals(trained, bytes(reference));
    }
  }

  private static byte[] bytes(DenoiserModel model) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    model.saveParameters(out);
    return out.toByteArray();
  }
}
