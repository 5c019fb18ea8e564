package dev.prefstream.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordTokenizerTest {
  private final WordTokenizer tokenizer = new WordTokenizer(List.of("a", "red", "square"), 4);

  @Test
  void mapsWordsUnknownsAndPadding() {
    assertArrayEquals(new long[] {2, 3, 4, 0}, tokenizer.encode("A red square"));
    assertArrayEquals(new long[] {2, WordTokenizer.UNK, 4, 0}, tokenizer.encode("a blue, square!"));
    assertEquals(5, tokenizer.vocabularySize());
  }

  @Test
  void truncatesAndEncodesTheEmptyPromptAsAllPadding() {
    assertArrayEquals(new long[] {2, 2, 2, 2}, tokenizer.encode("a a a a a a"));
    assertArrayEquals(new long[] {0, 0, 0, 0}, tokenizer.encode(""));
  }
}
