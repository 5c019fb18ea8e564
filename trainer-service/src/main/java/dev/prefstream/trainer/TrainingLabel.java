package dev.prefstream.trainer;

import dev.prefstream.avro.AnchorLabel;
import dev.prefstream.avro.LabelSource;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.Side;
import dev.prefstream.diffusion.train.BandLabels;
import dev.prefstream.diffusion.train.TimestepBands;
import java.util.Optional;

/**
 * How one labelled pair enters training: the side trained as the winner and, for pseudo-labelled
 * pairs, the sign of each timestep band relative to that order (null bands: the timestep is drawn
 * over the whole schedule).
 *
 * <p>The labeler decides the winner ({@code LabeledPair.winner}, under {@code labeler.label-policy});
 * the trainer trains on it. Its own rules are two named cases: a PSEUDO pair (its winner is the human
 * label) carries its per-anchor signs as band labels (METHOD.md section 3: the anchor's band draws the
 * timestep, the sign -1 swaps winner and loser), and a pair read from the {@code conflicting} feed
 * trains on its majority label ({@link #balancedDpo}). Held-out pairs are oriented the same way,
 * without bands. A pair whose label is a tie, or a pseudo-labelled pair without any band label,
 * cannot be trained on.
 */
public record TrainingLabel(Side winner, BandLabels bands) {

  public TrainingLabel {
    if (winner == Side.ABSTAIN) {
      throw new IllegalArgumentException("a training label needs a winning side");
    }
  }

  /** Whether the pair carries band labels (Semi-DPO retraining) rather than one label for all timesteps. */
  public boolean banded() {
    return bands != null;
  }

  /** The label to train on, or empty when the pair gives nothing to learn from. */
  public static Optional<TrainingLabel> resolve(LabeledPair pair, Feed feed, TimestepBands timestepBands) {
    if (pair.getSource() == LabelSource.PSEUDO && !pair.getHoldout()) {
      return pseudo(pair, timestepBands);
    }
    Side side = feed == Feed.CONFLICTING ? balancedDpo(pair) : pair.getWinner();
    return side == Side.ABSTAIN ? Optional.empty() : Optional.of(new TrainingLabel(side, null));
  }

  /**
   * BalancedDPO's label for a pair the scorers and the human disagree on (METHOD.md section 2): the
   * majority of scorers and human, whatever the labeler's policy chose as the winner.
   */
  static Side balancedDpo(LabeledPair pair) {
    return pair.getMajorityLabel();
  }

  private static Optional<TrainingLabel> pseudo(LabeledPair pair, TimestepBands timestepBands) {
    if (pair.getHumanLabel() == Side.ABSTAIN) {
      return Optional.empty();
    }
    int[] anchors = timestepBands.anchors();
    int halfWidth = timestepBands.halfWidth();
    int[] signs = new int[anchors.length];
    boolean any = false;
    for (AnchorLabel label : pair.getAnchors()) {
      int band = bandOf(label.getTimestep(), anchors, halfWidth);
      if (band >= 0 && label.getSign() != 0) {
        signs[band] = Integer.signum(label.getSign());
        any = true;
      }
    }
    return any ? Optional.of(new TrainingLabel(pair.getHumanLabel(), new BandLabels(signs)))
        : Optional.empty();
  }

  /** The band [a - halfWidth, a + halfWidth) holding {@code t}, or -1. */
  private static int bandOf(int t, int[] anchors, int halfWidth) {
    for (int b = 0; b < anchors.length; b++) {
      if (t >= anchors[b] - halfWidth && t < anchors[b] + halfWidth) {
        return b;
      }
    }
    return -1;
  }
}
