package dev.prefstream.scorer.builtin;

import dev.prefstream.core.image.RgbImage;
import java.util.Set;

/**
 * Colour-word prompt check: do the image's dominant colours match the colour words of the prompt?
 * Pixels are named by {@link ColorName} rules and counted ({@link ColorHistogram}); the prompt's
 * colour words are parsed by {@link ColorPrompt}. Each named colour earns a term in [0, 1]:
 *
 * <ul>
 *   <li>the background colour ("on a blue background") should be the dominant one: its share
 *       divided by the dominant share;
 *   <li>every other colour should be among the top N colours, N = the number of colours named,
 *       plus one for an unnamed background when none is named: its share divided by the N-th
 *       largest share, capped at 1. For "a small red circle ... on a blue background" red should be
 *       the second colour; for "a red apple on a table" red should be in the top two.
 * </ul>
 *
 * The score is the mean of the terms, in [0, 1]; a correct image scores 1 whatever the object's
 * size. A prompt without colour words scores {@value #NEUTRAL} for every image, so the scorer
 * abstains on it.
 *
 * <p>Measures: colour binding of objects and background, a common failure of small diffusion
 * models. Misses: which object has which colour beyond "background vs the rest" (a blue circle on a
 * red background scores 0.5+ for "a red circle on a blue background"), shapes, counts, positions,
 * negation ("not red"), colour words used otherwise ("an orange", "Red Square"), shades ("light
 * blue" is just blue) and hues near the naming boundaries.
 */
public final class ColorMatchScorer extends PixelScorer {
  public static final String NAME = "color-match";
  public static final String VERSION = "1";
  /** The score of every image when the prompt names no colour. */
  public static final double NEUTRAL = 0.5;

  public ColorMatchScorer() {
    super(NAME, VERSION);
  }

  @Override
  double score(RgbImage image, String prompt) {
    ColorPrompt colours = ColorPrompt.parse(prompt);
    if (colours.isEmpty()) {
      return NEUTRAL;
    }
    ColorHistogram histogram = ColorHistogram.of(image);
    double sum = 0;
    if (colours.background().isPresent()) {
      sum += ratio(histogram.share(colours.background().get()), histogram.rankedShare(1));
    }
    int slots = colours.colourCount() + (colours.background().isPresent() ? 0 : 1);
    double reference = histogram.rankedShare(slots);
    for (Set<ColorName> object : colours.objects()) {
      sum += ratio(histogram.share(object), reference);
    }
    return sum / colours.colourCount();
  }

  private static double ratio(double share, double reference) {
    if (reference <= 0) {
      return share > 0 ? 1 : 0;
    }
    return Math.min(1, share / reference);
  }
}
