package dev.prefstream.sim.world;

import java.util.Locale;

/** The object sizes of the prompt grammar, as the shape's radius in fractions of the image side. */
public enum ObjectSize {
  SMALL(0.11),
  LARGE(0.19);

  private final double radius;

  ObjectSize(double radius) {
    this.radius = radius;
  }

  /** The shape's radius (its extent unit, see {@link Shape}) as a fraction of the image side. */
  public double radius() {
    return radius;
  }

  /** The word used in prompts, e.g. {@code "small"}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The size whose word is {@code word}; {@link IllegalArgumentException} if none. */
  public static ObjectSize fromWord(String word) {
    for (ObjectSize s : values()) {
      if (s.word().equals(word)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown size: " + word);
  }
}
