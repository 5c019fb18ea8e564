package dev.prefstream.scorer.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.scorer.TestImages;
import org.junit.jupiter.api.Test;

class ColorMatchScorerTest {
  private static final float[] RED = {0.9f, 0.1f, 0.1f};
  private static final float[] BLUE = {0.1f, 0.2f, 0.9f};
  private static final float[] GREEN = {0.1f, 0.8f, 0.2f};
  private static final float[] WHITE = {0.95f, 0.95f, 0.95f};
  private static final float[] BROWN = {0.5f, 0.3f, 0.1f};

  private final ColorMatchScorer scorer = new ColorMatchScorer();

  private static RgbImage circle(float[] fg, float[] bg) {
    return TestImages.disc(32, 32, 8, 8, 5, fg, bg);
  }

  @Test
  void redCirclePromptPrefersTheRedCircle() {
    String prompt = "a red circle";
    double red = scorer.score(circle(RED, WHITE), prompt);
    double blue = scorer.score(circle(BLUE, WHITE), prompt);
    assertEquals(1, red, 1e-9);
    assertEquals(0, blue, 1e-9);
  }

  @Test
  void simulatorPromptRanksBindingErrors() {
    String prompt = "a small red circle at the top left on a blue background";
    double right = scorer.score(circle(RED, BLUE), prompt);
    double swapped = scorer.score(circle(BLUE, RED), prompt);
    double wrongBackground = scorer.score(circle(RED, GREEN), prompt);
    double wrongObject = scorer.score(circle(GREEN, BLUE), prompt);
    double bothWrong = scorer.score(circle(GREEN, WHITE), prompt);
    assertEquals(1, right, 1e-9);
    assertEquals(0.5, wrongBackground, 1e-9);
    assertEquals(0.5, wrongObject, 1e-9);
    assertEquals(0, bothWrong, 1e-9);
    assertTrue(swapped < right && swapped > bothWrong, "swapped " + swapped);
  }

  @Test
  void largeObjectStillMatchesWhenItOutgrowsTheBackground() {
    RgbImage big = TestImages.disc(32, 32, 16, 16, 15, RED, BLUE);
    // the red disc covers most pixels, so the blue background term is share(blue) / share(red)
    double score = scorer.score(big, "a large red circle on a blue background");
    assertTrue(score > 0.5 && score < 1, "score " + score);
  }

  @Test
  void realPromptWithObjectColour() {
    RgbImage apple = TestImages.disc(64, 48, 30, 20, 8, RED, BROWN);
    RgbImage pear = TestImages.disc(64, 48, 30, 20, 8, GREEN, BROWN);
    assertEquals(1, scorer.score(apple, "a red apple on a table"), 1e-9);
    assertEquals(0, scorer.score(pear, "a red apple on a table"), 1e-9);
  }

  @Test
  void washedOutColoursScoreLower() {
    String prompt = "a red circle on a blue background";
    RgbImage img = circle(RED, BLUE);
    assertTrue(scorer.score(TestImages.washOut(img, 0.2f), prompt) < scorer.score(img, prompt));
  }

  @Test
  void promptWithoutColoursIsNeutral() {
    assertEquals(ColorMatchScorer.NEUTRAL, scorer.score(circle(RED, BLUE), "a cat"), 0);
    assertEquals(ColorMatchScorer.NEUTRAL, scorer.score(circle(GREEN, WHITE), "a cat"), 0);
  }

  @Test
  void largeImagesAreSampledConsistently() {
    RgbImage small = TestImages.disc(32, 32, 16, 16, 8, RED, BLUE);
    RgbImage large = TestImages.disc(512, 512, 256, 256, 128, RED, BLUE);
    String prompt = "a red circle on a blue background";
    assertEquals(scorer.score(small, prompt), scorer.score(large, prompt), 1e-9);
  }
}
