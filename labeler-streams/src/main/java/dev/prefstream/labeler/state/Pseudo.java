package dev.prefstream.labeler.state;

import dev.prefstream.avro.AnchorLabel;
import dev.prefstream.avro.Side;
import java.util.List;

/**
 * The latest pseudo-label accepted for a pair.
 *
 * @param humanOrder the pair's human label when it arrived: the anchors' signs are relative to it,
 *     so the pseudo-label stops applying if the human label changes
 */
public record Pseudo(String modelName, int version, Side humanOrder, List<AnchorLabel> anchors) {
  /** True when any anchor carries a label (sign != 0). */
  public boolean confident() {
    return anchors.stream().anyMatch(a -> a.getSign() != 0);
  }
}
