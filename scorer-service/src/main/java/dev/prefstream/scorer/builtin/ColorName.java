package dev.prefstream.scorer.builtin;

/**
 * The basic colour names a pixel is classified into, by rules on hue, saturation and value (HSV).
 * Dark pixels are black; unsaturated ones white, gray or black by value; the rest go by hue, with
 * light low-saturation reds and light magentas as pink and dark oranges and dull dark reds as brown.
 */
public enum ColorName {
  RED,
  ORANGE,
  YELLOW,
  GREEN,
  CYAN,
  BLUE,
  PURPLE,
  PINK,
  BROWN,
  WHITE,
  GRAY,
  BLACK;

  private static final ColorName[] VALUES = values();

  /** The name of a colour given as r, g, b in [0, 1]. */
  public static ColorName of(float r, float g, float b) {
    return VALUES[classify(r, g, b)];
  }

  /** The ordinal of {@link #of}; used on the hot path to fill histograms. */
  static int classify(float r, float g, float b) {
    float max = Math.max(r, Math.max(g, b));
    float min = Math.min(r, Math.min(g, b));
    float chroma = max - min;
    float sat = max > 0 ? chroma / max : 0;
    if (max < 0.2f) {
      return BLACK.ordinal();
    }
    if (sat < 0.2f || chroma < 0.1f) {
      return (max >= 0.8f ? WHITE : max < 0.3f ? BLACK : GRAY).ordinal();
    }
    float hue;
    if (max == r) {
      hue = 60f * (g - b) / chroma;
      if (hue < 0) {
        hue += 360f;
      }
    } else if (max == g) {
      hue = 60f * ((b - r) / chroma + 2f);
    } else {
      hue = 60f * ((r - g) / chroma + 4f);
    }
    return byHue(hue, sat, max).ordinal();
  }

  private static ColorName byHue(float hue, float sat, float value) {
    if (hue >= 330f || hue < 15f) {
      if (sat < 0.65f && value > 0.7f) {
        return PINK;
      }
      return value < 0.7f && sat < 0.85f ? BROWN : RED;
    }
    if (hue < 45f) {
      return value < 0.65f ? BROWN : ORANGE;
    }
    if (hue < 70f) {
      return YELLOW;
    }
    if (hue < 165f) {
      return GREEN;
    }
    if (hue < 195f) {
      return CYAN;
    }
    if (hue < 255f) {
      return BLUE;
    }
    if (hue < 285f) {
      return PURPLE;
    }
    return value >= 0.75f ? PINK : PURPLE;
  }
}
