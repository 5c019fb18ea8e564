package dev.prefstream.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps prompts to fixed-length rows of word ids over a fixed vocabulary: id 0 is padding, id 1 an
 * unknown word, the configured words follow in order. Prompts are lower-cased and split on anything
 * that is not a letter or digit; longer prompts are truncated. The empty prompt (all padding) is the
 * null conditioning used for caption dropout and classifier-free guidance.
 */
public final class WordTokenizer {
  public static final int PAD = 0;
  public static final int UNK = 1;

  private final Map<String, Integer> ids = new HashMap<>();
  private final int maxTokens;

  public WordTokenizer(List<String> vocabulary, int maxTokens) {
    if (maxTokens <= 0) {
      throw new IllegalArgumentException("maxTokens must be positive: " + maxTokens);
    }
    for (String word : vocabulary) {
      ids.putIfAbsent(word.toLowerCase(Locale.ROOT), ids.size() + 2);
    }
    this.maxTokens = maxTokens;
  }

  /** Number of ids, padding and unknown included. */
  public int vocabularySize() {
    return ids.size() + 2;
  }

  public int maxTokens() {
    return maxTokens;
  }

  /** Word ids of the prompt, padded with {@link #PAD} or truncated to {@link #maxTokens()}. */
  public long[] encode(String prompt) {
    long[] row = new long[maxTokens];
    int n = 0;
    for (String word : prompt.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty() && n < maxTokens) {
        row[n++] = ids.getOrDefault(word, UNK);
      }
    }
    return row;
  }

  /** A (B, maxTokens) int64 array of the prompts' ids. */
  public NDArray encode(NDManager manager, List<String> prompts) {
    long[] data = new long[prompts.size() * maxTokens];
    for (int i = 0; i < prompts.size(); i++) {
      System.arraycopy(encode(prompts.get(i)), 0, data, i * maxTokens, maxTokens);
    }
    return manager.create(data, new Shape(prompts.size(), maxTokens));
  }
}
