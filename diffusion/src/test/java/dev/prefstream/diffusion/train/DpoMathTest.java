package dev.prefstream.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DpoMathTest {

  @ParameterizedTest(name = "m_w={0} m_l={1} r_w={2} r_l={3}")
  @CsvSource({
      "0.100, 0.120, 0.101, 0.119, 5.0, 0.006715",
      "0.100, 0.120, 0.100, 0.120, 0.0, 0.693147",
      "0.200, 0.150, 0.1995, 0.1502, -1.75, 1.910224",
      "0.050, 0.300, 0.0502, 0.2990, 3.0, 0.048587"})
  void methodTestVectors(double mw, double ml, double rw, double rl, double z, double loss) {
    double half = DpoMath.z(mw, ml, rw, rl, 5000, BetaConvention.HALF);
    assertEquals(z, half, 1e-9);
    assertEquals(loss, DpoMath.pairLoss(half), 1e-6);
    assertEquals(half, DpoMath.z(mw, ml, rw, rl, 2500, BetaConvention.FULL), 1e-9);
  }

  @Test
  void lossIsTheMeanOfPerPairLossesNotTheLossOfTheMean() {
    double[] z = {5.0, -1.75};
    assertEquals((0.006715 + 1.910224) / 2, DpoMath.loss(z), 1e-6);
  }

  @Test
  void tiesCountOneHalf() {
    assertEquals(0.5, DpoMath.implicitAccuracy(new double[] {0, 0, 0}), 0);
    assertEquals(0.625, DpoMath.implicitAccuracy(new double[] {1, 0, -2, 3}), 0);
  }

  @Test
  void pairLossIsStableForLargeMagnitudes() {
    assertEquals(1000.0, DpoMath.pairLoss(-1000), 1e-9);
    assertEquals(0.0, DpoMath.pairLoss(1000), 1e-12);
  }

  @Test
  void conventionNamesRoundTrip() {
    assertEquals(BetaConvention.HALF, BetaConvention.fromConfigName("half"));
    assertEquals("full", BetaConvention.FULL.configName());
  }
}
