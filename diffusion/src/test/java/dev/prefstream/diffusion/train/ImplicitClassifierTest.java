package dev.prefstream.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.diffusion.TestImages;
import dev.prefstream.diffusion.model.UNetConfig;
import dev.prefstream.diffusion.model.UNetDenoiser;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImplicitClassifierTest {
  private static final int[] ANCHORS = TimestepBands.semiDpoDefaults().anchors();

  /**
   * z = scale * [(r_w - m_w) - (r_l - m_l)] with scale = beta / 2 = 2500: it multiplies float32
   * rounding in the four per-image errors by 2500. Each error is a float32 mean of N = 3 * 8 * 8
   * squared differences of network outputs, whose last sums are the longest inner products of the
   * tiny UNet (K = 64 input channels * 9 taps); a float32 sum of n terms is within gamma(n) = n u /
   * (1 - n u) of exact (u = 2^-24), so two evaluations of the same error (another batch layout, another
   * CPU's kernels) differ by at most 2 gamma(N + K) times it. Summed over the four errors and scaled:
   * the bound below, about 0.3 here, against |z| of about 10 and the sign or noise mix-ups this test
   * guards against, which move z by its own size.
   */
  @Test
  void pairZIsTheRewardDifferenceWithSharedNoiseAndIndependentOfBatching() {
    Random random = new Random(4);
    RgbImage a = TestImages.square(8, true, random);
    RgbImage b = TestImages.square(8, false, random);
    RgbImage c = TestImages.square(8, true, random);
    try (UNetDenoiser policy = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        UNetDenoiser reference = UNetDenoiser.create(TestImages.tinyConfig(), 2)) {
      ImplicitClassifier classifier = new ImplicitClassifier(policy, reference, NoiseSchedule.ddpm(),
          5000, BetaConvention.HALF);
      double scale = BetaConvention.HALF.factor() * 5000;
      String prompt = "a red square";
      double[][] z = classifier.pairwiseZ(List.of(new PreferencePair(a, b, prompt),
          new PreferencePair(c, b, prompt)), ANCHORS, new long[] {17, 18});
      assertEquals(10, z[0].length);
      double[] boundAB = bounds(classifier, a, b, prompt, 17, scale);
      double[] boundCB = bounds(classifier, c, b, prompt, 18, scale);

      double[] rewards = classifier.implicitReward(List.of(a, b), List.of(prompt, prompt), ANCHORS,
          new long[] {17, 17});
      double meanZ = Arrays.stream(z[0]).average().orElseThrow();
      assertEquals(rewards[0] - rewards[1], meanZ, Arrays.stream(boundAB).max().orElseThrow());

      double[][] alone = classifier.pairwiseZ(List.of(new PreferencePair(c, b, prompt)), ANCHORS,
          new long[] {18});
      double[][] flipped = classifier.pairwiseZ(List.of(new PreferencePair(b, a, prompt)), ANCHORS,
          new long[] {17});
      for (int k = 0; k < ANCHORS.length; k++) {
        assertEquals(z[1][k], alone[0][k], boundCB[k], "batching, anchor " + ANCHORS[k]);
        assertEquals(-z[0][k], flipped[0][k], boundAB[k], "flipped pair, anchor " + ANCHORS[k]);
      }
    }
  }

  /** Per anchor: scale * 2 gamma(N + K) * (m_w + r_w + m_l + r_l), as derived above. */
  private static double[] bounds(ImplicitClassifier classifier, RgbImage w, RgbImage l, String prompt,
      long seed, double scale) {
    double[][][] e = classifier.errors(List.of(w, l), List.of(prompt, prompt), ANCHORS,
        new long[] {seed});
    int terms = 3 * 8 * 8 + 64 * 9;
    double u = Math.ulp(1.0f) / 2;
    double gamma = terms * u / (1 - terms * u);
    double[] out = new double[ANCHORS.length];
    for (int k = 0; k < out.length; k++) {
      double sum = e[0][0][k] + e[1][0][k] + e[0][1][k] + e[1][1][k];
      out[k] = scale * 2 * gamma * sum;
    }
    return out;
  }

  /**
   * On the model's own errors a v-network's z at anchor t is its noise-error z divided by abar_t
   * (eps error = sqrt(abar_t) * v error, elementwise): the same float32 errors, scaled in double, so
   * equal up to the double rounding of one product.
   */
  @Test
  void modelErrorsScaleEachAnchorByTheNetworksOwnWeight() {
    Random random = new Random(5);
    RgbImage a = TestImages.square(8, true, random);
    RgbImage b = TestImages.square(8, false, random);
    UNetConfig v = new UNetConfig(8, 8, 4, 8, TestImages.WORDS, 6, UNetConfig.Prediction.V,
        UNetConfig.PromptEncoder.ORDERED);
    try (UNetDenoiser policy = UNetDenoiser.create(v, 1); UNetDenoiser reference = UNetDenoiser.create(v, 2)) {
      NoiseSchedule schedule = NoiseSchedule.ddpm();
      List<PreferencePair> pair = List.of(new PreferencePair(a, b, "a red square"));
      double[] noise = new ImplicitClassifier(policy, reference, schedule, 5000, BetaConvention.HALF,
          DpoErrors.NOISE).pairwiseZ(pair, ANCHORS, new long[] {9})[0];
      double[] model = new ImplicitClassifier(policy, reference, schedule, 5000, BetaConvention.HALF,
          DpoErrors.MODEL).pairwiseZ(pair, ANCHORS, new long[] {9})[0];
      for (int k = 0; k < ANCHORS.length; k++) {
        double alphaBar = schedule.alphaBar(ANCHORS[k]);
        assertEquals(1 / alphaBar, DpoErrors.MODEL.weight(policy, alphaBar), 1e-12);
        assertEquals(1, DpoErrors.NOISE.weight(policy, alphaBar));
        assertEquals(noise[k] / alphaBar, model[k], 1e-12 * Math.abs(model[k]), "anchor " + ANCHORS[k]);
      }
    }
  }

  @Test
  void policyEqualToReferenceScoresZero() {
    Random random = new Random(4);
    try (UNetDenoiser policy = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        UNetDenoiser reference = policy.copy()) {
      ImplicitClassifier classifier = new ImplicitClassifier(policy, reference, NoiseSchedule.ddpm(),
          5000, BetaConvention.HALF);
      double[][] z = classifier.pairwiseZ(List.of(new PreferencePair(
          TestImages.square(8, true, random), TestImages.square(8, false, random), "a square")),
          ANCHORS, new long[] {1});
      assertArrayEquals(new double[10], z[0], 0);
    }
  }
}
