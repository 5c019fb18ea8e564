package dev.prefstream.scorer;

import dev.prefstream.core.image.RgbImage;
import java.util.Objects;

/** One image to score against the prompt it was generated for. */
public record ScoringItem(RgbImage image, String prompt) {
  public ScoringItem {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(prompt, "prompt");
  }
}
