package dev.prefstream.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.diffusion.TestImages;
import dev.prefstream.diffusion.model.UNetDenoiser;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImplicitClassifierTest {
  private static final int[] ANCHORS = TimestepBands.semiDpoDefaults().anchors();

  /** z reaches hundreds at beta 5000 on float32 errors, hence tolerances relative to its size. */
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
      String prompt = "a red square";
      double[][] z = classifier.pairwiseZ(List.of(new PreferencePair(a, b, prompt),
          new PreferencePair(c, b, prompt)), ANCHORS, new long[] {17, 18});
      assertEquals(10, z[0].length);

      double[] rewards = classifier.implicitReward(List.of(a, b), List.of(prompt, prompt), ANCHORS,
          new long[] {17, 17});
      double meanZ = Arrays.stream(z[0]).average().orElseThrow();
      assertEquals(rewards[0] - rewards[1], meanZ, 1e-4 * (1 + Math.abs(meanZ)));

      double[][] alone = classifier.pairwiseZ(List.of(new PreferencePair(c, b, prompt)), ANCHORS,
          new long[] {18});
      assertArrayEquals(z[1], alone[0], 1e-4 * (1 + Math.abs(z[1][0])));

      double[][] flipped = classifier.pairwiseZ(List.of(new PreferencePair(b, a, prompt)), ANCHORS,
          new long[] {17});
      for (int k = 0; k < ANCHORS.length; k++) {
        assertEquals(-z[0][k], flipped[0][k], 1e-4 * (1 + Math.abs(z[0][k])));
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
