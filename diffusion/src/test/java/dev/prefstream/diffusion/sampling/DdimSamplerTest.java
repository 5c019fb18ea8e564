package dev.prefstream.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.ParameterList;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.diffusion.TestImages;
import dev.prefstream.diffusion.model.DenoiserModel;
import dev.prefstream.diffusion.model.UNetDenoiser;
import dev.prefstream.diffusion.model.WordTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class DdimSamplerTest {
  private final DdimSampler sampler = new DdimSampler(NoiseSchedule.ddpm(), 10);

  /**
   * The two runs differ only in batch layout (6 rows against 2), so each network evaluation differs
   * by rounding alone: at most 2 gamma(n) |eps| per element, n = 64 * 9 (the tiny UNet's longest
   * inner product, as in ImplicitClassifierTest) + 10 (the sampler's elementwise steps); guidance,
   * 3 conditional - 2 unconditional, makes it 5 times that. To first order (leaving out the network's
   * sensitivity to its input), DDIM carries an eps error to the final x with the gain below (clipping
   * x0 only shrinks it), and a pixel is (x + 1) / 2: about 0.03 here, while drawing another image's
   * noise or prompt moves pixels by 0.8 or more.
   */
  @Test
  void anImageDependsOnItsSeedAndPromptNotOnItsBatch() {
    try (UNetDenoiser unet = UNetDenoiser.create(TestImages.tinyConfig(), 1)) {
      LargestOutput model = new LargestOutput(unet);
      float guidance = 3f;
      List<RgbImage> batch = sampler.sample(model, List.of("a red square", "a blue square", "a red square"),
          new long[] {7, 8, 9}, guidance);
      List<RgbImage> alone = sampler.sample(model, List.of("a blue square"), new long[] {8}, guidance);
      assertEquals(3, batch.size());
      assertEquals(8, batch.get(0).width());
      double u = Math.ulp(1.0f) / 2;
      int terms = 64 * 9 + 10;
      double gamma = terms * u / (1 - terms * u);
      double bound = gain(NoiseSchedule.ddpm(), 10) * (2 * guidance - 1) * 2 * gamma * model.largest / 2;
      float[] a = batch.get(1).chw();
      float[] b = alone.get(0).chw();
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], bound);
      }
      assertNotEquals(batch.get(0), batch.get(2), "different seeds give different images");
    }
  }

  /**
   * The sum over DDIM steps t -> t' of |s' - a' s / a| (a = sqrt(abar_t), s = sqrt(1 - abar_t)), the
   * weight of that step's eps in x_t', times the later steps' a' / a, the weight of x_t in x_t'.
   */
  private static double gain(NoiseSchedule schedule, int steps) {
    int stride = schedule.steps() / steps;
    double gain = 0;
    for (int i = steps - 1; i >= 0; i--) {
      double a = Math.sqrt(schedule.alphaBar(i * stride));
      double s = Math.sqrt(1 - schedule.alphaBar(i * stride));
      double aNext = i == 0 ? 1 : Math.sqrt(schedule.alphaBar((i - 1) * stride));
      double sNext = Math.sqrt(1 - aNext * aNext);
      gain = gain * aNext / a + Math.abs(sNext - aNext * s / a);
    }
    return gain;
  }

  /** The model, noting the largest |eps| it predicts. */
  private static final class LargestOutput implements DenoiserModel {
    private final DenoiserModel model;
    double largest;

    LargestOutput(DenoiserModel model) {
      this.model = model;
    }

    @Override
    public NDArray predictNoise(NDArray noised, NDArray timesteps, NDArray tokens, boolean training) {
      NDArray eps = model.predictNoise(noised, timesteps, tokens, training);
      largest = Math.max(largest, eps.abs().max().getFloat());
      return eps;
    }

    @Override
    public WordTokenizer tokenizer() {
      return model.tokenizer();
    }

    @Override
    public int imageSize() {
      return model.imageSize();
    }

    @Override
    public ParameterList parameters() {
      return model.parameters();
    }

    @Override
    public DenoiserModel copy() {
      return model.copy();
    }

    @Override
    public void close() {}
  }

  @Test
  void guidanceChangesTheResult() {
    try (UNetDenoiser model = UNetDenoiser.create(TestImages.tinyConfig(), 1)) {
      RgbImage plain = sampler.sample(model, "a red square", 1, 5, 1f).get(0);
      RgbImage guided = sampler.sample(model, "a red square", 1, 5, 4f).get(0);
      assertNotEquals(plain, guided);
    }
  }

  @Test
  void scheduleMatchesTheLinearDdpmDefinition() {
    NoiseSchedule schedule = NoiseSchedule.ddpm();
    assertEquals(1000, schedule.steps());
    assertEquals(1 - 1e-4, schedule.alphaBar(0), 1e-12);
    assertEquals((1 - 1e-4) * (1 - (1e-4 + (0.02 - 1e-4) / 999)), schedule.alphaBar(1), 1e-12);
    assertEquals(4.04e-5, schedule.alphaBar(999), 1e-6);
  }
}
