package dev.prefstream.scorer.cache;

import dev.prefstream.scorer.Scorer;
import java.util.Objects;

/**
 * What a score depends on: the image (by content digest), the prompt, and the scorer's name and
 * version. Scorers that ignore the prompt are keyed with an empty prompt, so one image shares its
 * score across prompts.
 */
public record ScoreKey(String imageDigest, String prompt, String scorer, String version) {
  public ScoreKey {
    Objects.requireNonNull(imageDigest, "imageDigest");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(scorer, "scorer");
    Objects.requireNonNull(version, "version");
  }

  /** The key of {@code scorer}'s score of the image with this digest for this prompt. */
  public static ScoreKey of(Scorer scorer, String imageDigest, String prompt) {
    return new ScoreKey(imageDigest, scorer.usesPrompt() ? prompt : "", scorer.name(),
        scorer.version());
  }
}
