package dev.prefstream.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.LabelSource;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.Route;
import dev.prefstream.avro.Side;
import dev.prefstream.diffusion.train.TimestepBands;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrainingLabelTest {
  private static final TimestepBands BANDS = TimestepBands.semiDpoDefaults();
  private static final ImageRef A = ImageRef.newBuilder().setUri("file:a.png").setSha256("aa").build();
  private static final ImageRef B = ImageRef.newBuilder().setUri("file:b.png").setSha256("bb").build();

  private static LabeledPair pair(Side human, Side majority) {
    return Pairs.labeled(A, B, human, majority, false);
  }

  private static Optional<TrainingLabel> resolve(LabeledPair p, Feed feed) {
    return TrainingLabel.resolve(p, feed, BANDS);
  }

  /**
   * The labeler's winner is the one trained on, whichever label it came from: the labeler writes the
   * human label under {@code labeler.label-policy=human} and the consensus under {@code majority}
   * (labeler-streams' {@code PolicyTopologyTest}); here a pair whose human label and majority disagree
   * trains on its winner either way.
   */
  @Test
  void theLabelersWinnerIsTheTrainingLabelForEitherPolicy() {
    LabeledPair underHuman = pair(Side.A, Side.B);
    LabeledPair underMajority = LabeledPair.newBuilder(underHuman).setWinner(Side.B).setSource(LabelSource.MAJORITY).build();
    assertEquals(Side.A, resolve(underHuman, Feed.CLEAN).orElseThrow().winner());
    assertEquals(Side.B, resolve(underMajority, Feed.CLEAN).orElseThrow().winner());
    assertFalse(resolve(underHuman, Feed.CLEAN).orElseThrow().banded());
  }

  @Test
  void conflictingPairsTrainOnTheirMajorityWhateverTheWinner() {
    LabeledPair conflicting = LabeledPair.newBuilder(pair(Side.A, Side.B)).setRoute(Route.CONFLICTING).build();
    assertEquals(Side.A, conflicting.getWinner());
    assertEquals(Side.B, resolve(conflicting, Feed.CONFLICTING).orElseThrow().winner());
  }

  @Test
  void aTiedLabelGivesNothingToTrainOn() {
    assertTrue(resolve(pair(Side.ABSTAIN, Side.A), Feed.CLEAN).isEmpty());
    assertTrue(resolve(LabeledPair.newBuilder(pair(Side.B, Side.A)).setRoute(Route.CONFLICTING)
        .setMajorityLabel(Side.ABSTAIN).build(), Feed.CONFLICTING).isEmpty());
  }

  @Test
  void pseudoLabelsBecomeBandSignsRelativeToTheHumanOrder() {
    LabeledPair pseudo = LabeledPair.newBuilder(pair(Side.B, Side.A))
        .setSource(LabelSource.PSEUDO)
        .setAnchors(List.of(Pairs.anchor(50, -1), Pairs.anchor(450, 0), Pairs.anchor(950, 1), Pairs.anchor(650, 1)))
        .setModelVersion(3)
        .build();
    // pseudo pairs are oriented by the human label (the relabeler's winner)
    TrainingLabel label = resolve(pseudo, Feed.RELABELED).orElseThrow();
    assertEquals(Side.B, label.winner(), "human order: B over A");
    assertArrayEquals(new int[] {-1, 0, 0, 0, 0, 0, 1, 0, 0, 1}, label.bands().signs(),
        "t=50 swaps (band 0), t=650 and t=950 keep (bands 6 and 9), t=450 has no label");
  }

  @Test
  void aPseudoPairWithoutAnyBandLabelOrHumanOrderIsUnlabelled() {
    LabeledPair noSigns = LabeledPair.newBuilder(pair(Side.A, Side.A)).setSource(LabelSource.PSEUDO)
        .setAnchors(List.of(Pairs.anchor(50, 0), Pairs.anchor(150, 0))).build();
    assertTrue(resolve(noSigns, Feed.RELABELED).isEmpty());
    LabeledPair tied = LabeledPair.newBuilder(noSigns).setHumanLabel(Side.ABSTAIN)
        .setAnchors(List.of(Pairs.anchor(50, 1))).build();
    assertTrue(resolve(tied, Feed.RELABELED).isEmpty());
  }

  @Test
  void heldOutPairsUseTheWinnerWithoutBands() {
    LabeledPair heldOut = LabeledPair.newBuilder(pair(Side.A, Side.B)).setSource(LabelSource.PSEUDO)
        .setHoldout(true).setAnchors(List.of(Pairs.anchor(50, -1))).build();
    TrainingLabel label = resolve(heldOut, Feed.RELABELED).orElseThrow();
    assertEquals(Side.A, label.winner());
    assertNull(label.bands());
  }
}
