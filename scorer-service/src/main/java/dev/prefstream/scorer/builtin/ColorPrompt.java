package dev.prefstream.scorer.builtin;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The colours a prompt asks for. A colour word followed within two words by "background" ("on a
 * blue background", "on a dark blue background") names the background; the other colour words name
 * objects. A word may stand for several {@link ColorName}s ("magenta" is pink or purple).
 *
 * @param background the background colour, if the prompt names one
 * @param objects the other colours, distinct, in prompt order, without the background colour
 */
public record ColorPrompt(Optional<Set<ColorName>> background, List<Set<ColorName>> objects) {

  private static final Map<String, Set<ColorName>> WORDS = Map.ofEntries(
      Map.entry("red", EnumSet.of(ColorName.RED)),
      Map.entry("orange", EnumSet.of(ColorName.ORANGE)),
      Map.entry("yellow", EnumSet.of(ColorName.YELLOW)),
      Map.entry("golden", EnumSet.of(ColorName.YELLOW)),
      Map.entry("green", EnumSet.of(ColorName.GREEN)),
      Map.entry("cyan", EnumSet.of(ColorName.CYAN)),
      Map.entry("turquoise", EnumSet.of(ColorName.CYAN)),
      Map.entry("teal", EnumSet.of(ColorName.CYAN)),
      Map.entry("blue", EnumSet.of(ColorName.BLUE)),
      Map.entry("purple", EnumSet.of(ColorName.PURPLE)),
      Map.entry("violet", EnumSet.of(ColorName.PURPLE, ColorName.PINK)),
      Map.entry("magenta", EnumSet.of(ColorName.PINK, ColorName.PURPLE)),
      Map.entry("fuchsia", EnumSet.of(ColorName.PINK, ColorName.PURPLE)),
      Map.entry("pink", EnumSet.of(ColorName.PINK)),
      Map.entry("brown", EnumSet.of(ColorName.BROWN)),
      Map.entry("white", EnumSet.of(ColorName.WHITE)),
      Map.entry("gray", EnumSet.of(ColorName.GRAY)),
      Map.entry("grey", EnumSet.of(ColorName.GRAY)),
      Map.entry("silver", EnumSet.of(ColorName.GRAY, ColorName.WHITE)),
      Map.entry("black", EnumSet.of(ColorName.BLACK)));

  /** How many words after a colour word "background" may come and still make it the background. */
  private static final int BACKGROUND_WINDOW = 2;

  public ColorPrompt {
    background = background.map(Set::copyOf);
    objects = objects.stream().map(Set::copyOf).toList();
  }

  /** Parses the colour words of a prompt (case-insensitive, punctuation ignored). */
  public static ColorPrompt parse(String prompt) {
    String[] words = prompt.toLowerCase(Locale.ROOT).split("[^a-z]+");
    Set<ColorName> background = null;
    List<Set<ColorName>> objects = new ArrayList<>();
    for (int i = 0; i < words.length; i++) {
      Set<ColorName> colour = WORDS.get(words[i]);
      if (colour == null) {
        continue;
      }
      if (background == null && beforeBackground(words, i)) {
        background = colour;
      } else if (!objects.contains(colour)) {
        objects.add(colour);
      }
    }
    if (background != null) {
      objects.remove(background);
    }
    return new ColorPrompt(Optional.ofNullable(background), objects);
  }

  private static boolean beforeBackground(String[] words, int i) {
    for (int j = i + 1; j < words.length && j <= i + BACKGROUND_WINDOW; j++) {
      if (words[j].equals("background")) {
        return true;
      }
    }
    return false;
  }

  /** True when the prompt names no colour. */
  public boolean isEmpty() {
    return background.isEmpty() && objects.isEmpty();
  }

  /** The number of distinct colours named, background included. */
  public int colourCount() {
    return objects.size() + (background.isPresent() ? 1 : 0);
  }
}
