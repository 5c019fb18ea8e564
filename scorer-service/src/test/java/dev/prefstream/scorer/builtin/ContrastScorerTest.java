package dev.prefstream.scorer.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.scorer.TestImages;
import org.junit.jupiter.api.Test;

class ContrastScorerTest {
  private final ContrastScorer scorer = new ContrastScorer();

  @Test
  void higherContrastScoresHigherThanWashedOutCopy() {
    RgbImage img = TestImages.texture(32, 32, 2);
    double full = scorer.score(img, "x");
    double washed = scorer.score(TestImages.washOut(img, 0.4f), "x");
    assertTrue(full > washed, full + " vs " + washed);
    assertEquals(0.4 * full, washed, 1e-4, "RMS contrast scales linearly with the wash-out");
  }

  @Test
  void halfBlackHalfWhiteIsTheMaximum() {
    RgbImage img = TestImages.solid(10, 10, 0, 0, 0);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 10; x++) {
        for (int c = 0; c < 3; c++) {
          img.set(c, y, x, 1f);
        }
      }
    }
    assertEquals(0.5, scorer.score(img, "x"), 1e-6);
    assertEquals(0, scorer.score(TestImages.solid(10, 10, 0.7f, 0.2f, 0.1f), "x"), 1e-6);
  }
}
