package dev.prefstream.trainer.relabel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PseudoLabelerTest {
  private static RelabelerConfig config(int minHoldout) {
    return new RelabelerConfig("unet", List.of(50, 950), 80, 90, 0.7, minHoldout, 650, 1, 256, 128, 16, 1,
        Path.of("m"), dev.prefstream.core.image.ImageStore.Settings.of(Path.of("target", "i")));
  }

  /** 100 pairs with |z| = 1..100 at both anchors, alternating sign. */
  private static double[][] ramp() {
    double[][] z = new double[100][2];
    for (int i = 0; i < 100; i++) {
      double v = (i + 1) * (i % 2 == 0 ? 1 : -1);
      z[i] = new double[] {v, v};
    }
    return z;
  }

  @Test
  void accuracyCountsTiesAsOneHalf() {
    double[][] z = {{1, 0}, {-1, 0}, {2, 3}, {3, -3}};
    assertArrayEquals(new double[] {0.75, 0.5}, PseudoLabeler.accuracy(z, 2), 1e-12);
  }

  @Test
  void thresholdIsThePercentileAndOnlyPairsAboveItGetALabel() {
    PseudoLabeler l = PseudoLabeler.round(config(1000), new double[0][], ramp());
    // too few held-out pairs: the rule by timestep applies, 80th below 650 and 90th from 650 on
    assertEquals(80, l.threshold(0), 1.5);
    assertEquals(90, l.threshold(1), 1.5);
    assertArrayEquals(new int[] {1, 1}, l.signs(new double[] {95, 95}));
    assertArrayEquals(new int[] {-1, 0}, l.signs(new double[] {-85, -85}));
    assertArrayEquals(new int[] {0, 0}, l.signs(new double[] {10, -10}));
  }

  @Test
  void lowHeldOutAccuracyMakesAnAnchorStrict() {
    double[][] holdout = new double[30][];
    for (int i = 0; i < 30; i++) {
      holdout[i] = new double[] {i < 27 ? 1 : -1, i < 15 ? 1 : -1}; // 90% and 50% accurate
    }
    PseudoLabeler l = PseudoLabeler.round(config(20), holdout, ramp());
    assertEquals(80, l.rules().get(0).percentile());
    assertEquals(90, l.rules().get(1).percentile());
    assertEquals(0.5, l.rules().get(1).holdoutAccuracy(), 1e-12);
  }

  @Test
  void pairsArrivingBetweenRoundsMoveTheThreshold() {
    PseudoLabeler l = PseudoLabeler.round(config(1000), new double[0][], ramp());
    double before = l.threshold(0);
    for (int i = 0; i < 400; i++) {
      l.observe(new double[] {1000 + i, 1000 + i});
    }
    assertTrue(l.threshold(0) > before * 5, "threshold follows the new |z| distribution");
  }

  @Test
  void heldOutPrecisionIsTheShareOfConfidentLabelsAgreeingWithHumans() {
    PseudoLabeler l = PseudoLabeler.round(config(1000), new double[0][], ramp());
    double[][] holdout = {{95, 95}, {96, 96}, {-99, 5}, {1, 1}};
    // confident: (95,a0) (95,a1) (96,a0) (96,a1) (-99,a0); agreeing: 4 of 5
    assertEquals(0.8, l.holdoutPrecision(holdout), 1e-12);
    assertTrue(Double.isNaN(l.holdoutPrecision(new double[][] {{1, 1}})));
  }
}
