package dev.prefstream.scorer.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.scorer.ScoringItem;
import dev.prefstream.scorer.TestImages;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetailScorerTest {
  private final DetailScorer scorer = new DetailScorer();

  @Test
  void sharpImageScoresHigherThanItsBlurredCopy() {
    RgbImage sharp = TestImages.texture(32, 32, 1);
    double[] s = scorer.score(List.of(
        new ScoringItem(sharp, "x"),
        new ScoringItem(TestImages.blur(sharp, 1), "x"),
        new ScoringItem(TestImages.blur(sharp, 2), "x")));
    assertTrue(s[0] > s[1], "sharp " + s[0] + " vs blur1 " + s[1]);
    assertTrue(s[1] > s[2], "blur1 " + s[1] + " vs blur2 " + s[2]);
  }

  @Test
  void flatImageHasNoDetail() {
    assertEquals(0, scorer.score(TestImages.solid(16, 16, 0.3f, 0.6f, 0.9f), "x"), 1e-9);
  }

  @Test
  void singlePixelCheckerboardHasTheLargestLaplacian() {
    RgbImage board = RgbImage.blank(8, 8);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        for (int c = 0; c < 3; c++) {
          board.set(c, y, x, (x + y) % 2);
        }
      }
    }
    // the Laplacian alternates between -4 and +4 (luma 0/1, weights sum to 1): variance 16
    assertEquals(16, scorer.score(board, "x"), 1e-4);
  }

  @Test
  void tinyImagesScoreZeroAndPromptIsIgnored() {
    assertEquals(0, scorer.score(TestImages.texture(2, 9, 3), "x"));
    assertFalse(scorer.usesPrompt());
  }
}
