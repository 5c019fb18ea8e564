package dev.prefstream.sim.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistributionsTest {

  @Test
  void sigmoidIsSymmetricAndStable() {
    assertEquals(0.5, Distributions.sigmoid(0), 1e-15);
    assertEquals(1 / (1 + Math.exp(-2.0)), Distributions.sigmoid(2), 1e-15);
    assertEquals(1, Distributions.sigmoid(3) + Distributions.sigmoid(-3), 1e-15);
    assertEquals(1.0, Distributions.sigmoid(1000), 0);
    assertEquals(0.0, Distributions.sigmoid(-1000), 0);
  }

  @Test
  void gammaHasMeanAndVarianceEqualToItsShape() {
    for (double shape : new double[] {0.3, 1, 4.5}) {
      SplittableRandom rng = new SplittableRandom(11);
      int n = 40_000;
      double sum = 0;
      double sumSq = 0;
      for (int i = 0; i < n; i++) {
        double g = Distributions.gamma(rng, shape);
        assertTrue(g >= 0 && Double.isFinite(g));
        sum += g;
        sumSq += g * g;
      }
      double mean = sum / n;
      assertEquals(shape, mean, 0.03 * shape + 0.01, "mean for shape " + shape);
      assertEquals(shape, sumSq / n - mean * mean, 0.06 * shape + 0.01, "variance for shape " + shape);
    }
  }

  @Test
  void dirichletDrawsSumToOneWithTheExpectedMean() {
    SplittableRandom rng = new SplittableRandom(12);
    double[] alpha = {2, 1, 0.5};
    double[] mean = new double[3];
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      double[] w = Distributions.dirichlet(rng, alpha);
      assertEquals(1, w[0] + w[1] + w[2], 1e-12);
      for (int k = 0; k < 3; k++) {
        assertTrue(w[k] >= 0);
        mean[k] += w[k] / n;
      }
    }
    assertEquals(2 / 3.5, mean[0], 0.01);
    assertEquals(1 / 3.5, mean[1], 0.01);
    assertEquals(0.5 / 3.5, mean[2], 0.01);
  }

  @Test
  void tinyConcentrationsGiveNearOneHotDrawsWithoutNaN() {
    SplittableRandom rng = new SplittableRandom(13);
    int oneHot = 0;
    for (int i = 0; i < 1000; i++) {
      double[] w = Distributions.dirichlet(rng, 0.005, 0.005, 0.005);
      assertEquals(1, w[0] + w[1] + w[2], 1e-12, Arrays.toString(w));
      oneHot += Math.max(w[0], Math.max(w[1], w[2])) > 0.9 ? 1 : 0;
    }
    assertTrue(oneHot > 950, "near one-hot draws: " + oneHot);
  }

  @Test
  void drawsAreDeterministicGivenTheSeed() {
    assertArrayEquals(Distributions.dirichlet(new SplittableRandom(5), 1, 1, 1),
        Distributions.dirichlet(new SplittableRandom(5), 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> Distributions.gamma(new SplittableRandom(1), 0));
  }
}
