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

  private static Optional<TrainingLabel> resolve(LabeledPair p, Feed feed, LabelPolicy policy) {
    return TrainingLabel.resolve(p, feed, policy, BANDS);
  }

  @Test
  void humanPolicyTrainsOnTheHumanLabelAndMajorityOnTheMajority() {
    LabeledPair disagreeing = pair(Side.A, Side.B);
    assertEquals(Side.A, resolve(disagreeing, Feed.CLEAN, LabelPolicy.HUMAN).orElseThrow().winner());
    assertEquals(Side.B, resolve(disagreeing, Feed.CLEAN, LabelPolicy.MAJORITY).orElseThrow().winner());
    assertFalse(resolve(disagreeing, Feed.CLEAN, LabelPolicy.HUMAN).orElseThrow().banded());
    assertEquals(LabelPolicy.MAJORITY, LabelPolicy.fromConfigName("Majority"));
  }

  @Test
  void conflictingPairsTrainOnTheirMajorityWhateverThePolicy() {
    LabeledPair conflicting = LabeledPair.newBuilder(pair(Side.A, Side.B)).setRoute(Route.CONFLICTING).build();
    assertEquals(Side.B, resolve(conflicting, Feed.CONFLICTING, LabelPolicy.HUMAN).orElseThrow().winner());
  }

  @Test
  void aTiedLabelGivesNothingToTrainOn() {
    assertTrue(resolve(pair(Side.ABSTAIN, Side.A), Feed.CLEAN, LabelPolicy.HUMAN).isEmpty());
    assertTrue(resolve(pair(Side.A, Side.ABSTAIN), Feed.CLEAN, LabelPolicy.MAJORITY).isEmpty());
  }

  @Test
  void pseudoLabelsBecomeBandSignsRelativeToTheHumanOrder() {
    LabeledPair pseudo = LabeledPair.newBuilder(pair(Side.B, Side.A))
        .setSource(LabelSource.PSEUDO)
        .setAnchors(List.of(Pairs.anchor(50, -1), Pairs.anchor(450, 0), Pairs.anchor(950, 1), Pairs.anchor(650, 1)))
        .setModelVersion(3)
        .build();
    // the label policy does not matter: pseudo pairs are oriented by the human label
    for (LabelPolicy policy : LabelPolicy.values()) {
      TrainingLabel label = resolve(pseudo, Feed.RELABELED, policy).orElseThrow();
      assertEquals(Side.B, label.winner(), "human order: B over A");
      assertArrayEquals(new int[] {-1, 0, 0, 0, 0, 0, 1, 0, 0, 1}, label.bands().signs(),
          "t=50 swaps (band 0), t=650 and t=950 keep (bands 6 and 9), t=450 has no label");
    }
  }

  @Test
  void aPseudoPairWithoutAnyBandLabelOrHumanOrderIsUnlabelled() {
    LabeledPair noSigns = LabeledPair.newBuilder(pair(Side.A, Side.A)).setSource(LabelSource.PSEUDO)
        .setAnchors(List.of(Pairs.anchor(50, 0), Pairs.anchor(150, 0))).build();
    assertTrue(resolve(noSigns, Feed.RELABELED, LabelPolicy.HUMAN).isEmpty());
    LabeledPair tied = LabeledPair.newBuilder(noSigns).setHumanLabel(Side.ABSTAIN)
        .setAnchors(List.of(Pairs.anchor(50, 1))).build();
    assertTrue(resolve(tied, Feed.RELABELED, LabelPolicy.HUMAN).isEmpty());
  }

  @Test
  void heldOutPairsUseThePolicyLabelWithoutBands() {
    LabeledPair heldOut = LabeledPair.newBuilder(pair(Side.A, Side.B)).setSource(LabelSource.PSEUDO)
        .setHoldout(true).setAnchors(List.of(Pairs.anchor(50, -1))).build();
    TrainingLabel label = resolve(heldOut, Feed.RELABELED, LabelPolicy.MAJORITY).orElseThrow();
    assertEquals(Side.B, label.winner());
    assertNull(label.bands());
  }
}
