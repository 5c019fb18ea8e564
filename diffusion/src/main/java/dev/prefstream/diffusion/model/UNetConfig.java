package dev.prefstream.diffusion.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Shape of the built-in {@link ConditionalUNet}: square RGB images of {@code imageSize} pixels, three
 * resolution levels with {@code baseChannels}, 2x and 4x that many channels, GroupNorm with
 * {@code groups} groups, and a prompt embedding of {@code wordDim} per word over the given
 * vocabulary, truncated to {@code maxTokens} words and read by {@code promptEncoder}; the network's output
 * is read as {@code prediction}. The defaults give about 1.8M parameters at 32x32.
 */
public record UNetConfig(int imageSize, int baseChannels, int groups, int wordDim, List<String> vocabulary,
    int maxTokens, Prediction prediction, PromptEncoder promptEncoder) {

  /**
   * What the network outputs. Either way {@link UNetDenoiser#predictNoise} returns the noise, which
   * is all that sampling and Diffusion-DPO use.
   *
   * <ul>
   *   <li>{@code EPS}: the noise itself (models published before v-prediction);
   *   <li>{@code V}: v = sqrt(abar_t) eps - sqrt(1 - abar_t) x_0, so that at high noise the network
   *       draws the clean image instead of copying its input, and the prompt, the only information
   *       left there, carries weight in training (decision 0010).
   * </ul>
   */
  public enum Prediction {
    EPS, V;

    public String configName() {
      return UNetConfig.configName(this);
    }

    public static Prediction fromConfigName(String name) {
      return parse(Prediction.class, "prediction", name);
    }
  }

  /**
   * How the word embeddings of a prompt become one conditioning vector.
   *
   * <ul>
   *   <li>{@code ORDERED}: the embeddings of the word slots, concatenated in order, so that "a green
   *       square on a red background" and "a red square on a green background" differ;
   *   <li>{@code BAG_OF_WORDS}: their mean, blind to order (models published before the ordered
   *       encoder).
   * </ul>
   */
  public enum PromptEncoder {
    ORDERED, BAG_OF_WORDS;

    public String configName() {
      return UNetConfig.configName(this);
    }

    public static PromptEncoder fromConfigName(String name) {
      return parse(PromptEncoder.class, "prompt encoder", name);
    }
  }

  /** The name of a setting's value in config files and manifests: {@code BAG_OF_WORDS} is {@code bag-of-words}. */
  private static String configName(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String what, String name) {
    List<String> names = new java.util.ArrayList<>();
    for (E value : type.getEnumConstants()) {
      if (configName(value).equals(name)) {
        return value;
      }
      names.add(configName(value));
    }
    throw new IllegalArgumentException("unknown " + what + " '" + name + "' (" + String.join(" or ", names) + ")");
  }

  /** The first architecture: a network that predicts the noise from a bag of words. */
  public UNetConfig(int imageSize, int baseChannels, int groups, int wordDim, List<String> vocabulary,
      int maxTokens) {
    this(imageSize, baseChannels, groups, wordDim, vocabulary, maxTokens, Prediction.EPS,
        PromptEncoder.BAG_OF_WORDS);
  }

  public UNetConfig {
    if (imageSize <= 0 || imageSize % 4 != 0) {
      throw new IllegalArgumentException("imageSize must be a positive multiple of 4: " + imageSize);
    }
    if (baseChannels <= 0 || baseChannels % groups != 0) {
      throw new IllegalArgumentException("baseChannels must be a positive multiple of groups");
    }
    vocabulary = List.copyOf(vocabulary);
    Objects.requireNonNull(prediction, "prediction");
    Objects.requireNonNull(promptEncoder, "promptEncoder");
  }

  /** 32x32, 32 base channels, 8 groups, 64-wide word embeddings, 16 words read in order, v-prediction. */
  public static UNetConfig defaults(List<String> vocabulary) {
    return new UNetConfig(32, 32, 8, 64, vocabulary, 16, Prediction.V, PromptEncoder.ORDERED);
  }

  /** The same architecture with another prediction. */
  public UNetConfig withPrediction(Prediction other) {
    return new UNetConfig(imageSize, baseChannels, groups, wordDim, vocabulary, maxTokens, other, promptEncoder);
  }

  /** The same architecture with another prompt encoder. */
  public UNetConfig withPromptEncoder(PromptEncoder other) {
    return new UNetConfig(imageSize, baseChannels, groups, wordDim, vocabulary, maxTokens, prediction, other);
  }

  public WordTokenizer tokenizer() {
    return new WordTokenizer(vocabulary, maxTokens);
  }
}
