package dev.prefstream.scorer.builtin;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.scorer.Scorer;
import dev.prefstream.scorer.ScoringItem;
import dev.prefstream.scorer.Versioned;
import java.util.List;

/** Base of the stateless built-in scorers: scores each item on its own, holds no resources. */
abstract class PixelScorer extends Versioned implements Scorer {
  PixelScorer(String name, String version) {
    super(name, version);
  }

  @Override
  public final double[] score(List<ScoringItem> items) {
    double[] scores = new double[items.size()];
    for (int i = 0; i < scores.length; i++) {
      ScoringItem item = items.get(i);
      scores[i] = score(item.image(), item.prompt());
    }
    return scores;
  }

  /** The score of one image for its prompt. */
  abstract double score(RgbImage image, String prompt);

  @Override
  public final void close() {}
}
