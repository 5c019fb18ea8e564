package dev.prefstream.labeler;

import static dev.prefstream.labeler.Fixtures.pair;
import static dev.prefstream.labeler.Fixtures.pseudo;
import static dev.prefstream.labeler.Fixtures.scored;
import static dev.prefstream.labeler.Fixtures.vote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.LabelSource;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.PairLabel;
import dev.prefstream.avro.Route;
import dev.prefstream.avro.Side;
import dev.prefstream.labeler.Fixtures.Pair;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** Pseudo-labels joined to conflicting pairs, superseded by later versions. */
class PseudoLabelTopologyTest {
  private final Pair p = pair(5);

  private void conflicting(LabelerDriver d) {
    d.score(scored(vote(p, "v1", "u1", Choice.A, 0), "s1", 0.1, 0.9, "s2", 0.1, 0.9));
    assertEquals(Route.CONFLICTING, d.labels.readValue().getRoute());
    d.conflicting.readValue();
  }

  @Test
  void aConfidentPseudoLabelRelabelsAConflictingPair() {
    try (LabelerDriver d = new LabelerDriver()) {
      conflicting(d);
      d.pseudo.pipeInput(p.id(), pseudo(p, 3, 0, -1, 1));
      LabeledPair r = d.relabeled.readValue();
      assertEquals(LabelSource.PSEUDO, r.getSource());
      assertEquals(3, r.getModelVersion());
      assertEquals(List.of(0, -1, 1), r.getAnchors().stream().map(a -> a.getSign()).toList());
      assertEquals(Side.A, r.getWinner(), "anchors are relative to the human label");
      assertEquals(Route.CONFLICTING, r.getRoute());
      PairLabel l = d.labels.readValue();
      assertEquals(3, l.getPseudoModelVersion());
      assertEquals(1.0, d.counter("prefstream.labeler.pairs.relabeled"));
    }
  }

  @Test
  void aPseudoLabelThatOvertakesItsPairsVotesIsHeldAndAppliedAfterTheFirstVote() {
    try (LabelerDriver d = new LabelerDriver()) {
      d.pseudo.pipeInput(p.id(), pseudo(p, 2, 1, 1));
      d.pseudo.pipeInput(p.id(), pseudo(p, 3, 0, -1, 1));
      d.pseudo.pipeInput(p.id(), pseudo(p, 1, -1));
      assertTrue(d.dlq.isEmpty() && d.relabeled.isEmpty(), "held until the pair has votes");
      conflicting(d);
      LabeledPair r = d.relabeled.readValue();
      assertEquals(3, r.getModelVersion(), "the latest version held, not the older ones");
      assertEquals(List.of(0, -1, 1), r.getAnchors().stream().map(a -> a.getSign()).toList());
      assertEquals(3, d.labels.readValue().getPseudoModelVersion());
      d.driver.advanceWallClockTime(Duration.ofHours(2));
      assertTrue(d.dlq.isEmpty(), "applied, so it never expires");
    }
  }

  @Test
  void anOlderVersionArrivingLateIsIgnoredAndALaterOneSupersedes() {
    try (LabelerDriver d = new LabelerDriver()) {
      conflicting(d);
      d.pseudo.pipeInput(p.id(), pseudo(p, 3, 1, 1));
      assertEquals(3, d.relabeled.readValue().getModelVersion());
      d.pseudo.pipeInput(p.id(), pseudo(p, 2, -1, -1));
      d.pseudo.pipeInput(p.id(), pseudo(p, 3, -1, -1));
      assertTrue(d.relabeled.isEmpty(), "older or same version: ignored");
      d.pseudo.pipeInput(p.id(), pseudo(p, 4, -1, 0));
      LabeledPair r = d.relabeled.readValue();
      assertEquals(4, r.getModelVersion());
      assertEquals(-1, r.getAnchors().get(0).getSign());
      d.pseudo.pipeInput(p.id(), pseudo(p, 5, 0, 0));
      KeyValue<String, LabeledPair> withdrawn = d.relabeled.readKeyValue();
      assertEquals(p.id(), withdrawn.key);
      assertNull(withdrawn.value, "a later version without confident labels withdraws the relabel");
    }
  }

  @Test
  void aPseudoLabelDoesNotRelabelACleanPairAndStopsApplyingWhenThePairLeavesConflicting() {
    try (LabelerDriver d = new LabelerDriver()) {
      d.score(scored(vote(p, "v1", "u1", Choice.B, 0), "s1", 0.1, 0.9, "s2", 0.1, 0.9));
      d.pseudo.pipeInput(p.id(), pseudo(p, 1, 1));
      assertTrue(d.relabeled.isEmpty(), "clean pairs keep their label");
    }
    try (LabelerDriver d = new LabelerDriver()) {
      conflicting(d);
      d.pseudo.pipeInput(p.id(), pseudo(p, 1, 1));
      d.relabeled.readValue();
      d.score(scored(vote(p, "v2", "u1", Choice.B, 10), "s1", 0.1, 0.9, "s2", 0.1, 0.9));
      assertNull(d.relabeled.readKeyValue().value, "now clean: the relabel is withdrawn");
      assertEquals(Route.CLEAN, d.clean.readValue().getRoute());
    }
  }
}
