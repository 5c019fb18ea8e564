package dev.prefstream.launcher.experiment;

import dev.prefstream.avro.Side;
import java.util.Locale;

/**
 * One way of turning the vote log into training labels. Every trained arm runs the same trainer with
 * the same budget on the same pairs; only the labels differ.
 */
public enum Arm {
  /** No training: the base model every other arm is compared with. */
  BASE,
  /** Diffusion-DPO on the human label of every pair: the labeler's tally of the simulated votes. */
  HUMAN,
  /** The ceiling: the population's true preference (measured on the stored 8-bit images) as the label. */
  ORACLE;

  public static Arm fromConfigName(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean trains() {
    return this != BASE;
  }

  /** The side this arm trains as the winner of the pair; ABSTAIN when the pair gives nothing to learn. */
  public Side label(VoteLog.LoggedPair pair) {
    return switch (this) {
      case BASE -> Side.ABSTAIN;
      case HUMAN -> pair.humanLabel();
      case ORACLE -> pair.truthLabel();
    };
  }
}
