package dev.prefstream.diffusion;

/**
 * A small seeded random generator (SplitMix64) whose whole state is one {@code long}, so trainers can
 * checkpoint and restore it exactly. Noise and timesteps are drawn here, in Java, rather than by the
 * engine, which keeps every draw reproducible and independent of DJL's global seed.
 */
public final class Rng {
  private long state;

  public Rng(long seed) {
    this.state = seed;
  }

  /** The full generator state; {@code new Rng(s)} or {@link #restore(long)} continues from it. */
  public long state() {
    return state;
  }

  public void restore(long savedState) {
    this.state = savedState;
  }

  public long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1). */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    return (int) Math.floorMod(nextLong(), (long) bound);
  }

  /** Fills {@code out[from, from + count)} with standard normal values (Box-Muller, both outputs used). */
  public void fillGaussian(float[] out, int from, int count) {
    int end = from + count;
    for (int i = from; i < end; i += 2) {
      double u1 = 1.0 - nextDouble();
      double u2 = nextDouble();
      double radius = Math.sqrt(-2.0 * Math.log(u1));
      out[i] = (float) (radius * Math.cos(2 * Math.PI * u2));
      if (i + 1 < end) {
        out[i + 1] = (float) (radius * Math.sin(2 * Math.PI * u2));
      }
    }
  }
}
