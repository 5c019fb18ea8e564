package dev.prefstream.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.diffusion.TestImages;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelCheckTest {
  /**
   * Every convolution of the shipped architecture and of the tests' tiny one computes within its
   * float32 rounding bound here, forward and backward. Fails on a CPU whose oneDNN kernels are wrong
   * (AMD family 26 with ONEDNN_MAX_CPU_ISA unset: the 32 -> 3 output layer's input gradient is 1.8x
   * off, far outside the bound).
   */
  @Test
  void everyConvolutionOfTheUNetsIsWithinItsRoundingBound() {
    for (UNetConfig config : List.of(UNetConfig.defaults(TestImages.WORDS), TestImages.tinyConfig())) {
      try (UNetDenoiser model = UNetDenoiser.create(config, 1)) {
        List<KernelCheck.Geometry> geometries = KernelCheck.geometries(model.block());
        for (KernelCheck.Geometry g : geometries) {
          double excess = KernelCheck.worstExcess(g);
          assertTrue(excess <= 1, g + ": " + excess + " of the bound");
        }
        KernelCheck.verify(model);
      }
    }
  }

  @Test
  void findsEveryDistinctConvolutionOfTheUNet() {
    try (UNetDenoiser model = UNetDenoiser.create(UNetConfig.defaults(TestImages.WORDS), 1)) {
      List<KernelCheck.Geometry> geometries = KernelCheck.geometries(model.block());
      // in, out, the two strided downsamplings, a 1x1 skip per channel change: all present.
      assertTrue(geometries.contains(new KernelCheck.Geometry(3, 32, 32, 32, 3, 1, 1)));
      assertTrue(geometries.contains(new KernelCheck.Geometry(32, 32, 32, 3, 3, 1, 1)));
      assertTrue(geometries.contains(new KernelCheck.Geometry(32, 32, 32, 32, 3, 2, 1)));
      assertTrue(geometries.contains(new KernelCheck.Geometry(64, 16, 16, 64, 3, 2, 1)));
      assertTrue(geometries.contains(new KernelCheck.Geometry(96, 32, 32, 32, 1, 1, 0)));
      assertEquals(geometries.size(), geometries.stream().distinct().count());
    }
  }

  /** The bound is the textbook one: n u / (1 - n u) with u = 2^-24. */
  @Test
  void gammaIsHighamsBound() {
    double u = Math.pow(2, -24);
    assertEquals(u / (1 - u), KernelCheck.gamma(1), 1e-22);
    assertEquals(289 * u / (1 - 289 * u), KernelCheck.gamma(289), 1e-20);
  }
}
