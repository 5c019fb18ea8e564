package dev.prefstream.scorer.torchscript;

/**
 * Resampling filters for {@link ImagePreprocessor}, with the kernels PIL uses (and torch's
 * {@code interpolate(..., antialias=True)} reproduces): when shrinking, the kernel is stretched by
 * the scale factor so every input pixel contributes, which avoids aliasing.
 */
public enum ResizeFilter {
  /** Triangle kernel of radius 1. */
  BILINEAR(1) {
    @Override
    double weight(double x) {
      double a = Math.abs(x);
      return a < 1 ? 1 - a : 0;
    }
  },
  /** Keys cubic kernel with a = -0.5 and radius 2 (PIL's BICUBIC, used by CLIP's preprocessing). */
  BICUBIC(2) {
    @Override
    double weight(double x) {
      double a = -0.5;
      double t = Math.abs(x);
      if (t < 1) {
        return ((a + 2) * t - (a + 3)) * t * t + 1;
      }
      if (t < 2) {
        return (((t - 5) * t + 8) * t - 4) * a;
      }
      return 0;
    }
  };

  private final double support;

  ResizeFilter(double support) {
    this.support = support;
  }

  /** The kernel's value at distance x (in output-pixel units). */
  abstract double weight(double x);

  /** The radius of the kernel at scale 1. */
  double support() {
    return support;
  }

  /** Parses a descriptor value ({@code bilinear} or {@code bicubic}, any case). */
  public static ResizeFilter parse(String value) {
    for (ResizeFilter f : values()) {
      if (f.name().equalsIgnoreCase(value.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown resize filter '" + value + "' (bilinear, bicubic)");
  }
}
