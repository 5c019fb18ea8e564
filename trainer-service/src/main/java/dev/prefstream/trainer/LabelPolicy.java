package dev.prefstream.trainer;

import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.Side;
import java.util.Locale;

/**
 * Which side of a HUMAN or MAJORITY pair wins in training (METHOD.md section 2): {@code human}
 * trains on the human label, {@code majority} (BalancedDPO) on the majority of scorers and human.
 */
public enum LabelPolicy {
  HUMAN,
  MAJORITY;

  /** The winning side under this policy; {@link Side#ABSTAIN} when the chosen label is a tie. */
  public Side winner(LabeledPair pair) {
    return this == HUMAN ? pair.getHumanLabel() : pair.getMajorityLabel();
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static LabelPolicy fromConfigName(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "human" -> HUMAN;
      case "majority" -> MAJORITY;
      default -> throw new IllegalArgumentException("unknown label policy '" + name + "' (human | majority)");
    };
  }
}
