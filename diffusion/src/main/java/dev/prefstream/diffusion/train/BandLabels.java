package dev.prefstream.diffusion.train;

import java.util.Arrays;

/**
 * A pair's pseudo-labels, one sign per band of {@link TimestepBands}: +1 keeps the pair's winner and
 * loser, -1 swaps them, 0 means no label in that band. A pair with no label contributes nothing.
 */
public record BandLabels(int[] signs) {

  public BandLabels {
    for (int s : signs) {
      if (s < -1 || s > 1) {
        throw new IllegalArgumentException("band signs must be -1, 0 or 1: " + Arrays.toString(signs));
      }
    }
    signs = signs.clone();
  }

  @Override
  public int[] signs() {
    return signs.clone();
  }

  int sign(int band) {
    return signs[band];
  }

  int labelledBands() {
    int n = 0;
    for (int s : signs) {
      n += s != 0 ? 1 : 0;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BandLabels other && Arrays.equals(other.signs, signs);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signs);
  }

  @Override
  public String toString() {
    return "BandLabels" + Arrays.toString(signs);
  }
}
