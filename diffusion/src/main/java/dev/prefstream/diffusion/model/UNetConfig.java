package dev.prefstream.diffusion.model;

import java.util.List;

/**
 * Shape of the built-in {@link ConditionalUNet}: square RGB images of {@code imageSize} pixels, three
 * resolution levels with {@code baseChannels}, 2x and 4x that many channels, GroupNorm with
 * {@code groups} groups, and a prompt embedding of {@code wordDim} per word over the given
 * vocabulary, truncated to {@code maxTokens} words. The defaults give about 1.7M parameters at 32x32.
 */
public record UNetConfig(
    int imageSize, int baseChannels, int groups, int wordDim, List<String> vocabulary, int maxTokens) {

  public UNetConfig {
    if (imageSize <= 0 || imageSize % 4 != 0) {
      throw new IllegalArgumentException("imageSize must be a positive multiple of 4: " + imageSize);
    }
    if (baseChannels <= 0 || baseChannels % groups != 0) {
      throw new IllegalArgumentException("baseChannels must be a positive multiple of groups");
    }
    vocabulary = List.copyOf(vocabulary);
  }

  /** 32x32, 32 base channels, 8 groups, 64-wide word embeddings, 16 words. */
  public static UNetConfig defaults(List<String> vocabulary) {
    return new UNetConfig(32, 32, 8, 64, vocabulary, 16);
  }

  public WordTokenizer tokenizer() {
    return new WordTokenizer(vocabulary, maxTokens);
  }
}
