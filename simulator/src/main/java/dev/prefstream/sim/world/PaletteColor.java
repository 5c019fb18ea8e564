package dev.prefstream.sim.world;

import java.util.Locale;

/**
 * The named colours of the prompt grammar, each with the RGB value (in [0, 1]) the renderer paints.
 * Any two colours are at least 0.4 apart in RGB, so the oracle can tell them apart from pixels.
 */
public enum PaletteColor {
  RED(0.85, 0.10, 0.10),
  GREEN(0.10, 0.65, 0.20),
  BLUE(0.12, 0.25, 0.88),
  YELLOW(0.95, 0.90, 0.10),
  PURPLE(0.52, 0.15, 0.68),
  ORANGE(1.00, 0.50, 0.00),
  WHITE(0.96, 0.96, 0.96),
  BLACK(0.06, 0.06, 0.06);

  private final double red;
  private final double green;
  private final double blue;

  PaletteColor(double red, double green, double blue) {
    this.red = red;
    this.green = green;
    this.blue = blue;
  }

  /** The word used in prompts, e.g. {@code "red"}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The colour as {@code {r, g, b}} in [0, 1]; a fresh array each call. */
  public double[] rgb() {
    return new double[] {red, green, blue};
  }

  /** Euclidean RGB distance from this colour to {@code rgb}. */
  public double distanceTo(double[] rgb) {
    double dr = red - rgb[0];
    double dg = green - rgb[1];
    double db = blue - rgb[2];
    return Math.sqrt(dr * dr + dg * dg + db * db);
  }

  /** The colour whose word is {@code word}; {@link IllegalArgumentException} if none. */
  public static PaletteColor fromWord(String word) {
    for (PaletteColor c : values()) {
      if (c.word().equals(word)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown colour: " + word);
  }
}
