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
    // A score is scale * cos, and the cosine's terms sum to at most 1 in absolute value (Cauchy-
    // Schwarz): each float32 evaluation lies within gamma(n) * scale of the exact score, n the rounded
    // terms on its path. Python's (float32 resize too) against this one: about 3e-3; another
    // batch layout here (same Java preprocessing and float64 cosine): about 2.3e-3. An image scored
    // against another prompt, or a prompt against another image, is off by 0.85 or more.
    double scale = 100; // embedding.properties
    double python = 2 * scale * TorchScriptFixtures.gamma(TorchScriptFixtures.PREPROCESS
        + TorchScriptFixtures.IMAGE_ENCODER + TorchScriptFixtures.TEXT_ENCODER
        + 2 * TorchScriptFixtures.NORMALIZE + 8 + 1); // + the dot product of 8, the scale
    double batching = 2 * scale * TorchScriptFixtures.gamma(TorchScriptFixtures.IMAGE_ENCODER
        + TorchScriptFixtures.TEXT_ENCODER);
    try (EmbeddingSimilarityScorer scorer = factory.create()) {
      double[] scores = scorer.score(items);
      for (int i = 0; i < scores.length; i++) {
        assertEquals(TorchScriptFixtures.expectedDouble(keys.get(i)), scores[i], python, keys.get(i));
      }
      double single = scorer.score(List.of(items.get(4)))[0];
      assertEquals(scores[4], single, batching, "a batch of one scores like the big batch");
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
