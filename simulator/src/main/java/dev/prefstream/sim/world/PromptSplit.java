package dev.prefstream.sim.world;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits the grammar's prompts into training prompts and held-out evaluation prompts by holding out
 * whole (colour, shape) combinations: the model sees every colour and every shape in training, but
 * never these pairings, so evaluation measures compositional generalisation. The choice depends only
 * on the words and a salt, so it is the same on every machine and run.
 *
 * @param heldOutCombinations the (colour, shape) pairs whose prompts are held out
 */
public record PromptSplit(Set<ColorShape> heldOutCombinations) {

  /** The fraction of (colour, shape) combinations {@link #standard()} holds out. */
  public static final double STANDARD_FRACTION = 0.1;

  /** A (colour, shape) combination. */
  public record ColorShape(PaletteColor color, Shape shape) {}

  public PromptSplit {
    heldOutCombinations = Set.copyOf(heldOutCombinations);
  }

  /** The project's split: {@value #STANDARD_FRACTION} of the combinations, salt 0. */
  public static PromptSplit standard() {
    return holdOut(STANDARD_FRACTION, 0L);
  }

  /**
   * Holds out {@code round(fraction * combinations)} (colour, shape) combinations, spread evenly: in
   * the order of a salted hash of their words, a combination is taken only while its colour and its
   * shape have been held out no more often than any other (so a tenth of the combinations uses each
   * colour and each shape at most once).
   */
  public static PromptSplit holdOut(double fraction, long salt) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1): " + fraction);
    }
    List<ColorShape> combos = new ArrayList<>();
    for (PaletteColor c : PaletteColor.values()) {
      for (Shape s : Shape.values()) {
        combos.add(new ColorShape(c, s));
      }
    }
    combos.sort(Comparator.comparingLong((ColorShape cs) -> stableHash(cs, salt)));
    int count = (int) Math.round(fraction * combos.size());
    Set<ColorShape> chosen = new LinkedHashSet<>();
    int[] colorUses = new int[PaletteColor.values().length];
    int[] shapeUses = new int[Shape.values().length];
    for (int cap = 1; chosen.size() < count; cap++) {
      for (ColorShape cs : combos) {
        if (chosen.size() < count && !chosen.contains(cs) && colorUses[cs.color().ordinal()] < cap
            && shapeUses[cs.shape().ordinal()] < cap) {
          chosen.add(cs);
          colorUses[cs.color().ordinal()]++;
          shapeUses[cs.shape().ordinal()]++;
        }
      }
    }
    return new PromptSplit(chosen);
  }

  /** Whether {@code prompt} belongs to the held-out evaluation set. */
  public boolean isHeldOut(Prompt prompt) {
    return heldOutCombinations.contains(new ColorShape(prompt.color(), prompt.shape()));
  }

  /** The training prompts, in {@link Prompt#all()} order. */
  public List<Prompt> training() {
    return Prompt.all().stream().filter(p -> !isHeldOut(p)).toList();
  }

  /** The held-out evaluation prompts, in {@link Prompt#all()} order. */
  public List<Prompt> heldOut() {
    return Prompt.all().stream().filter(this::isHeldOut).toList();
  }

  /** SplitMix64 finaliser over the words' {@link String#hashCode()}, which the JLS fixes. */
  private static long stableHash(ColorShape cs, long salt) {
    long z = salt + 0x9E3779B97F4A7C15L * (1 + (cs.color().word() + " " + cs.shape().word()).hashCode());
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
