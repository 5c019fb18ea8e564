package dev.prefstream.diffusion.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.diffusion.TestImages;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class DpoBenchmarkTest {

  @Test
  void tinyRunReportsSpeedPeakFractionAndMemory() {
    DpoBenchmark.Settings settings = new DpoBenchmark.Settings(TestImages.tinyConfig(),
        new int[] {8, 2}, 1, 3, 2, 6, 2);
    DpoBenchmark.Result result = DpoBenchmark.run(settings);
    System.out.println(result.report());
    assertEquals(2, result.batches().size());
    DpoBenchmark.BatchFigures eight = result.batches().get(0);
    assertEquals(8, eight.batch());
    assertEquals(8 * eight.stepsPerSecond(), eight.pairsPerSecond(), 1e-9);
    assertTrue(result.peakGflopPerSecond() > 0 && eight.fractionOfPeak() > 0);
    assertTrue(result.rssEarlyKb() > 0 && result.rssLateKb() > 0);
    // memory every rssEarlyStep (2) steps up to rssLateStep (6); the middle reading is step 4
    assertEquals(java.util.List.of(2, 4, 6),
        result.memory().stream().map(DpoBenchmark.MemoryPoint::step).toList());
    assertEquals(4, result.middle().step());
    assertTrue(eight.cpuShare() > 0);
    // the peak is the fastest of the tiny UNet's level shapes (8, 16 and 32 channels at 8x8, 4x4, 2x2)
    assertTrue(java.util.Set.of("8 channels at 8x8", "16 channels at 4x4", "32 channels at 2x2")
        .contains(eight.peakShape()), eight.peakShape());
    assertTrue(result.report().contains("(" + eight.peakShape() + ", the fastest of the UNet's levels: 8 at 8x8 "),
        result.report());
    assertTrue(eight.levelPeaks().matches("8 at 8x8 [0-9.]+, 16 at 4x4 [0-9.]+, 32 at 2x2 [0-9.]+"), eight.levelPeaks());
    assertTrue(result.report().contains("allocator: "));
    String[] lines = result.report().split("\n");
    assertEquals(String.format(Locale.ROOT, "fraction of peak: %.2f", eight.fractionOfPeak()),
        lines[lines.length - 1]);
  }
}
