package dev.prefstream.sim.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt of the grammar {@code a {small|large} {color} {shape} at the {position} on a {color}
 * background}, as its parts. The object colour always differs from the background colour.
 *
 * @param size the object's size
 * @param color the object's colour
 * @param shape the object's shape
 * @param position where the object's centroid sits
 * @param background the background colour
 */
public record Prompt(ObjectSize size, PaletteColor color, Shape shape, Position position, PaletteColor background) {

  private static final Pattern GRAMMAR =
      Pattern.compile("a (\\w+) (\\w+) (\\w+) at the ([a-z ]+?) on a (\\w+) background");

  private static final List<Prompt> ALL = enumerate();

  public Prompt {
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(color, "color");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(background, "background");
    if (color == background) {
      throw new IllegalArgumentException("object and background are both " + color.word());
    }
  }

  /** The prompt's text, e.g. {@code "a small red circle at the top left on a blue background"}. */
  public String text() {
    return "a " + size.word() + " " + color.word() + " " + shape.word() + " at the " + position.words()
        + " on a " + background.word() + " background";
  }

  @Override
  public String toString() {
    return text();
  }

  /**
   * Parses a prompt's text; case and runs of whitespace are ignored. Throws
   * {@link IllegalArgumentException} when the text is not a sentence of the grammar.
   */
  public static Prompt parse(String text) {
    String normal = text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    Matcher m = GRAMMAR.matcher(normal);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a prompt of the grammar: \"" + text + "\"");
    }
    return new Prompt(ObjectSize.fromWord(m.group(1)), PaletteColor.fromWord(m.group(2)),
        Shape.fromWord(m.group(3)), Position.fromWords(m.group(4)), PaletteColor.fromWord(m.group(5)));
  }

  /** Every prompt of the grammar, in a fixed order (size, colour, shape, position, background). */
  public static List<Prompt> all() {
    return ALL;
  }

  /** Every word the grammar can produce, sorted and without duplicates (for a tokenizer's vocabulary). */
  public static List<String> vocabulary() {
    TreeSet<String> words = new TreeSet<>(List.of("a", "at", "the", "on", "background"));
    for (ObjectSize s : ObjectSize.values()) {
      words.add(s.word());
    }
    for (PaletteColor c : PaletteColor.values()) {
      words.add(c.word());
    }
    for (Shape s : Shape.values()) {
      words.add(s.word());
    }
    for (Position p : Position.values()) {
      words.addAll(List.of(p.words().split(" ")));
    }
    return List.copyOf(words);
  }

  private static List<Prompt> enumerate() {
    List<Prompt> out = new ArrayList<>();
    for (ObjectSize size : ObjectSize.values()) {
      for (PaletteColor color : PaletteColor.values()) {
        for (Shape shape : Shape.values()) {
          for (Position position : Position.values()) {
            for (PaletteColor background : PaletteColor.values()) {
              if (background != color) {
                out.add(new Prompt(size, color, shape, position, background));
              }
            }
          }
        }
      }
    }
    return List.copyOf(out);
  }
}
