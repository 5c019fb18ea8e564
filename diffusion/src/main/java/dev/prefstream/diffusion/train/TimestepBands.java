package dev.prefstream.diffusion.train;

import dev.prefstream.diffusion.Rng;
import java.util.Arrays;

/**
 * Anchor timesteps and the band [a - halfWidth, a + halfWidth) each anchor owns (METHOD.md section 3):
 * the relabeler scores pairs at the anchors, and Semi-DPO retraining draws a pair's timestep from the
 * bands where it has a pseudo-label.
 */
public record TimestepBands(int[] anchors, int halfWidth) {

  public TimestepBands {
    if (anchors.length == 0 || halfWidth <= 0) {
      throw new IllegalArgumentException("need at least one anchor and a positive half width");
    }
    anchors = anchors.clone();
  }

  /** {50, 150, ..., 950} with half width 50: ten bands tiling a 1000-step schedule. */
  public static TimestepBands semiDpoDefaults() {
    int[] anchors = new int[10];
    for (int i = 0; i < anchors.length; i++) {
      anchors[i] = 50 + 100 * i;
    }
    return new TimestepBands(anchors, 50);
  }

  @Override
  public int[] anchors() {
    return anchors.clone();
  }

  public int count() {
    return anchors.length;
  }

  /** A timestep drawn uniformly from band {@code band}. */
  int draw(int band, Rng rng) {
    return anchors[band] - halfWidth + rng.nextInt(2 * halfWidth);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimestepBands other && other.halfWidth == halfWidth
        && Arrays.equals(other.anchors, anchors);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(anchors) + halfWidth;
  }

  @Override
  public String toString() {
    return "TimestepBands" + Arrays.toString(anchors) + "+-" + halfWidth;
  }
}
