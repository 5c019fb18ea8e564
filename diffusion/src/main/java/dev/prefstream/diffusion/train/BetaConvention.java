package dev.prefstream.diffusion.train;

import java.util.Locale;

/**
 * How beta enters z (METHOD.md section 1, step 4). {@code half}: z = 0.5 * beta * [...], beta 5000
 * at SD scale; {@code full}: z = beta * [...], the same function with beta 2500. Name it in config
 * and in every model-version manifest.
 */
public enum BetaConvention {
  HALF(0.5),
  FULL(1.0);

  private final double factor;

  BetaConvention(double factor) {
    this.factor = factor;
  }

  /** The multiplier of beta: 0.5 for {@code half}, 1 for {@code full}. */
  public double factor() {
    return factor;
  }

  /** The name used in config files and manifests: {@code half} or {@code full}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static BetaConvention fromConfigName(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
