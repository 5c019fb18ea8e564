package dev.prefstream.scorer.torchscript;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.scorer.Scorer;
import dev.prefstream.scorer.ScorerFactory;
import dev.prefstream.scorer.ScoringItem;
import java.util.Arrays;
import java.util.List;

/**
 * Scores one grey image when a factory opens, so a model with the wrong input or output contract
 * fails at start-up, not on every record.
 */
final class SmokeTest {
  private SmokeTest() {}

  /** Returns {@code factory} once one of its scorers gave a finite score for a grey image. */
  static <F extends ScorerFactory> F run(F factory) {
    RgbImage grey = RgbImage.blank(8, 8);
    Arrays.fill(grey.chw(), 0.5f);
    double[] scores;
    try (Scorer scorer = factory.create()) {
      scores = scorer.score(List.of(new ScoringItem(grey, "a photo")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("scorer " + factory.name()
          + " does not run on a test image: " + e.getMessage(), e);
    }
    if (scores.length != 1 || !Double.isFinite(scores[0])) {
      throw new IllegalArgumentException("scorer " + factory.name() + " gave no finite score: "
          + Arrays.toString(scores));
    }
    return factory;
  }
}
