package dev.prefstream.scorer.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.scorer.TestImages;
import org.junit.jupiter.api.Test;

class ColorfulnessScorerTest {
  private final ColorfulnessScorer scorer = new ColorfulnessScorer();

  @Test
  void colourfulImageScoresHigherThanItsGreyscaleCopy() {
    RgbImage img = TestImages.texture(32, 32, 3);
    double colour = scorer.score(img, "x");
    double grey = scorer.score(TestImages.greyscale(img), "x");
    assertTrue(colour > 15, "random colours are at least slightly colourful: " + colour);
    assertEquals(0, grey, 1e-4);
  }

  @Test
  void matchesTheFormulaOnASolidColour() {
    // pure red: rg = 255, yb = 127.5, no spread -> 0.3 * sqrt(255^2 + 127.5^2)
    double expected = 0.3 * Math.sqrt(255 * 255 + 127.5 * 127.5);
    assertEquals(expected, scorer.score(TestImages.solid(4, 4, 1, 0, 0), "x"), 1e-3);
  }

  @Test
  void moreSaturatedScoresHigher() {
    RgbImage img = TestImages.texture(16, 16, 4);
    assertTrue(scorer.score(img, "x") > scorer.score(TestImages.washOut(img, 0.5f), "x"));
  }
}
