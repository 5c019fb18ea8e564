package dev.prefstream.sim.world;

import java.util.Locale;

/**
 * Where the object's centroid sits, as fractions of the image width and height (x to the right, y
 * downwards). The off-centre positions keep a large shape inside the image.
 */
public enum Position {
  CENTER(0.50, 0.50),
  TOP(0.50, 0.28),
  BOTTOM(0.50, 0.72),
  LEFT(0.28, 0.50),
  RIGHT(0.72, 0.50),
  TOP_LEFT(0.28, 0.28),
  TOP_RIGHT(0.72, 0.28),
  BOTTOM_LEFT(0.28, 0.72),
  BOTTOM_RIGHT(0.72, 0.72);

  private final double x;
  private final double y;

  Position(double x, double y) {
    this.x = x;
    this.y = y;
  }

  /** Horizontal centroid position as a fraction of the width. */
  public double x() {
    return x;
  }

  /** Vertical centroid position as a fraction of the height, from the top. */
  public double y() {
    return y;
  }

  /** The words used in prompts, e.g. {@code "top left"}. */
  public String words() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** The position whose words are {@code words}; {@link IllegalArgumentException} if none. */
  public static Position fromWords(String words) {
    for (Position p : values()) {
      if (p.words().equals(words)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown position: " + words);
  }
}
