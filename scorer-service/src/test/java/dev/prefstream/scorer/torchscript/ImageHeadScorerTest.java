package dev.prefstream.scorer.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Model;
import ai.djl.nn.ParameterList;
import dev.prefstream.scorer.ScoringItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageHeadScorerTest {

  @Test
  void scoresMatchTorch() throws Exception {
    ScorerDescriptor descriptor =
        ScorerDescriptor.load(TorchScriptFixtures.dir().resolve("aesthetic.properties"));
    try (ImageHeadScorerFactory factory = ImageHeadScorerFactory.open("tiny-aesthetic", descriptor);
        ImageHeadScorer scorer = factory.create()) {
      List<ScoringItem> items = new ArrayList<>();
      for (int k = 0; k < TorchScriptFixtures.IMAGES.length; k++) {
        items.add(new ScoringItem(TorchScriptFixtures.image(k), "ignored " + k));
      }
      double[] scores = scorer.score(items);
      // Python's float32 run and this one each lie within gamma(n) * M of the exact score, n the
      // rounded terms from pixels through the unit-length embedding and the head's two layers (8 + 1,
      // 16 + 1), M the largest absolute sum the head's terms reach for a unit-length input: about
      // 1e-4, against 4.5e-3 or more for the wrong resize filter (images 0, 1), 0.016 or more for an
      // unnormalised embedding.
      double bound = 2 * headMagnitude() * TorchScriptFixtures.gamma(TorchScriptFixtures.PREPROCESS
          + TorchScriptFixtures.IMAGE_ENCODER + TorchScriptFixtures.NORMALIZE + 9 + 17);
      for (int k = 0; k < scores.length; k++) {
        assertEquals(TorchScriptFixtures.expectedDouble("aesthetic." + k), scores[k], bound,
            "image " + k);
      }
      assertFalse(scorer.usesPrompt());
    }
  }

  /** sum_j |w2_j| (sum_k |W1_jk| + |b1_j|) + |b2| of the head Linear(8, 16), ReLU, Linear(16, 1). */
  private static double headMagnitude() throws Exception {
    try (Model head = Model.newInstance("aesthetic_head", "PyTorch")) {
      head.load(TorchScriptFixtures.dir(), "aesthetic_head", Map.of("trainParam", "true"));
      ParameterList p = head.getBlock().getParameters();
      float[] w1 = p.get("mlp.0.weight").getArray().toFloatArray();
      float[] b1 = p.get("mlp.0.bias").getArray().toFloatArray();
      float[] w2 = p.get("mlp.2.weight").getArray().toFloatArray();
      double magnitude = Math.abs(p.get("mlp.2.bias").getArray().getFloat());
      for (int j = 0; j < b1.length; j++) {
        double hidden = Math.abs(b1[j]);
        for (int k = 0; k < 8; k++) {
          hidden += Math.abs(w1[j * 8 + k]);
        }
        magnitude += Math.abs(w2[j]) * hidden;
      }
      return magnitude;
    }
  }
}
