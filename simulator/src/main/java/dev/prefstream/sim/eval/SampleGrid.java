package dev.prefstream.sim.eval;

import dev.prefstream.core.image.RgbImage;
import java.util.List;

/**
 * Lays out an evaluation's samples as one image for a report: each cell holds the candidate's image
 * and, to its right, the base's for the same prompt and seed, separated and framed by white lines.
 */
public final class SampleGrid {
  private static final int GAP = 1;

  private SampleGrid() {}

  /** {@code cellsPerRow} (candidate, base) cells per row, each image scaled up {@code scale} times. */
  public static RgbImage of(List<EvaluationResult.Sample> samples, int cellsPerRow, int scale) {
    if (samples.isEmpty() || cellsPerRow <= 0 || scale <= 0) {
      throw new IllegalArgumentException("need samples, cells per row > 0 and scale > 0");
    }
    int side = samples.get(0).candidate().width() * scale;
    int rows = (samples.size() + cellsPerRow - 1) / cellsPerRow;
    int columns = 2 * Math.min(cellsPerRow, samples.size());
    RgbImage grid = new RgbImage(columns * (side + GAP) + GAP, rows * (side + GAP) + GAP,
        filled(3 * (columns * (side + GAP) + GAP) * (rows * (side + GAP) + GAP)));
    for (int i = 0; i < samples.size(); i++) {
      int top = GAP + (i / cellsPerRow) * (side + GAP);
      int left = GAP + 2 * (i % cellsPerRow) * (side + GAP);
      paste(grid, samples.get(i).candidate(), top, left, scale);
      paste(grid, samples.get(i).base(), top, left + side + GAP, scale);
    }
    return grid;
  }

  private static void paste(RgbImage grid, RgbImage image, int top, int left, int scale) {
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < image.height() * scale; y++) {
        for (int x = 0; x < image.width() * scale; x++) {
          grid.set(c, top + y, left + x, image.get(c, y / scale, x / scale));
        }
      }
    }
  }

  private static float[] filled(int n) {
    float[] values = new float[n];
    java.util.Arrays.fill(values, 1f);
    return values;
  }
}
