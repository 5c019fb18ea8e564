package dev.prefstream.scorer.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.prefstream.scorer.ScoringItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageHeadScorerTest {

  @Test
  void scoresMatchTorch() throws IOException {
    ScorerDescriptor descriptor =
        ScorerDescriptor.load(TorchScriptFixtures.dir().resolve("aesthetic.properties"));
    try (ImageHeadScorerFactory factory = ImageHeadScorerFactory.open("tiny-aesthetic", descriptor);
        ImageHeadScorer scorer = factory.create()) {
      List<ScoringItem> items = new ArrayList<>();
      for (int k = 0; k < TorchScriptFixtures.IMAGES.length; k++) {
        items.add(new ScoringItem(TorchScriptFixtures.image(k), "ignored " + k));
      }
      double[] scores = scorer.score(items);
      for (int k = 0; k < scores.length; k++) {
        assertEquals(TorchScriptFixtures.expectedDouble("aesthetic." + k), scores[k], 1e-5,
            "image " + k);
      }
      assertFalse(scorer.usesPrompt());
    }
  }
}
