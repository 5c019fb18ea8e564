package dev.prefstream.trainer;

import dev.prefstream.avro.LabeledPair;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import java.util.Locale;

/**
 * A topic of labelled pairs the trainer reads: {@code clean} (round 0 and every round),
 * {@code relabeled} (Semi-DPO pseudo-labels) and {@code conflicting} (the BalancedDPO regime, trained
 * on each pair's majority label).
 */
public enum Feed {
  CLEAN,
  RELABELED,
  CONFLICTING;

  public Topic<String, LabeledPair> topic(Topics topics) {
    return switch (this) {
      case CLEAN -> topics.clean();
      case RELABELED -> topics.relabeled();
      case CONFLICTING -> topics.conflicting();
    };
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Feed fromConfigName(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown trainer feed '" + name + "' (clean | relabeled | conflicting)", e);
    }
  }
}
