package dev.prefstream.diffusion.train;

import dev.prefstream.core.image.RgbImage;

/** One preference: {@code winner} was preferred over {@code loser} for {@code prompt}. */
public record PreferencePair(RgbImage winner, RgbImage loser, String prompt) {

  /** The same pair with winner and loser exchanged. */
  public PreferencePair swapped() {
    return new PreferencePair(loser, winner, prompt);
  }
}
