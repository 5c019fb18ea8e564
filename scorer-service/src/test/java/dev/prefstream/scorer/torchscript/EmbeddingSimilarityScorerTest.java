package dev.prefstream.scorer.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.prefstream.scorer.ScoringItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddingSimilarityScorerTest {
  private static EmbeddingSimilarityScorerFactory factory;

  @BeforeAll
  static void open() throws IOException {
    ScorerDescriptor descriptor =
        ScorerDescriptor.load(TorchScriptFixtures.dir().resolve("embedding.properties"));
    factory = EmbeddingSimilarityScorerFactory.open("tiny-clip", descriptor);
  }

  @AfterAll
  static void close() {
    factory.close();
  }

  @Test
  void tokenizesLikeTheFixtureScriptWithPaddingAndTruncation() {
    try (HuggingFaceTokenizer tokenizer = factory.newTokenizer()) {
      for (int p = 0; p < TorchScriptFixtures.PROMPTS.size(); p++) {
        long[] ids = tokenizer.encode(TorchScriptFixtures.PROMPTS.get(p)).getIds();
        assertArrayEquals(TorchScriptFixtures.expectedIds(p), ids, "prompt " + p);
      }
    }
  }

  @Test
  void scoresMatchTorchForEveryImageAndPrompt() {
    List<ScoringItem> items = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int k = 0; k < TorchScriptFixtures.IMAGES.length; k++) {
      for (int p = 0; p < TorchScriptFixtures.PROMPTS.size(); p++) {
        items.add(new ScoringItem(TorchScriptFixtures.image(k), TorchScriptFixtures.PROMPTS.get(p)));
        keys.add("similarity." + k + "." + p);
      }
    }
    try (EmbeddingSimilarityScorer scorer = factory.create()) {
      double[] scores = scorer.score(items);
      for (int i = 0; i < scores.length; i++) {
        assertEquals(TorchScriptFixtures.expectedDouble(keys.get(i)), scores[i], 1e-3, keys.get(i));
      }
      double single = scorer.score(List.of(items.get(4)))[0];
      assertEquals(scores[4], single, 1e-4, "a batch of one scores like the big batch");
    }
  }

  @Test
  void identifiesItselfAndUsesThePrompt() {
    try (EmbeddingSimilarityScorer scorer = factory.create()) {
      assertEquals("tiny-clip", scorer.name());
      assertTrue(scorer.version().matches("ts-[0-9a-f]{12}"), scorer.version());
      assertTrue(scorer.usesPrompt());
      assertEquals(0, scorer.score(List.of()).length);
    }
  }
}
