package dev.prefstream.labeler;

import static dev.prefstream.labeler.Fixtures.pair;
import static dev.prefstream.labeler.Fixtures.scored;
import static dev.prefstream.labeler.Fixtures.vote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.HumanTally;
import dev.prefstream.avro.PairLabel;
import dev.prefstream.avro.Route;
import dev.prefstream.avro.Side;
import dev.prefstream.labeler.Fixtures.Pair;
import dev.prefstream.labeler.state.PairState;
import dev.prefstream.labeler.stream.LabelerStores;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The human tally: distinct users, changed votes, re-sent votes, ties, quorum, emit-on-change. */
class TallyTopologyTest {
  private final Pair p = pair(1);

  private static Object[] agreeA() {
    return new Object[] {"s1", 0.9, 0.1, "s2", 5.0, 1.0};
  }

  private HumanTally tally(LabelerDriver d) {
    KeyValueStore<String, PairState> store = d.driver.getKeyValueStore(LabelerStores.PAIRS);
    return store.get(p.id()).tally();
  }

  @Test
  void aUserCountsOnceAndAReSentVoteChangesNothing() {
    try (LabelerDriver d = new LabelerDriver()) {
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), agreeA()));
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), agreeA()));
      d.score(scored(vote(p, "v2", "u1", Choice.A, 10), agreeA()));
      assertEquals(new HumanTally(1, 0, 0, 1), tally(d));
      List<PairLabel> labels = d.labels.readValuesToList();
      assertEquals(1, labels.size(), "one event: the decision changed once");
      assertEquals(Route.CLEAN, labels.get(0).getRoute());
      assertEquals(1, d.clean.readValuesToList().size());
      assertEquals(3.0, d.counter("prefstream.labeler.votes.in"));
    }
  }

  @Test
  void aChangedVoteReplacesTheEarlierOneAndALateOlderVoteIsIgnored() {
    try (LabelerDriver d = new LabelerDriver()) {
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), agreeA()));
      d.score(scored(vote(p, "v2", "u1", Choice.B, 100), agreeA()));
      assertEquals(new HumanTally(0, 1, 0, 1), tally(d));
      d.score(scored(vote(p, "v0", "u1", Choice.A, 50), agreeA()));
      assertEquals(new HumanTally(0, 1, 0, 1), tally(d), "an older vote of the same user arrived late");
      List<PairLabel> labels = d.labels.readValuesToList();
      assertEquals(2, labels.size());
      assertEquals(Side.A, labels.get(0).getHumanLabel());
      assertEquals(Route.CLEAN, labels.get(0).getRoute());
      assertEquals(Side.B, labels.get(1).getHumanLabel());
      assertEquals(Route.CONFLICTING, labels.get(1).getRoute(), "both scorers prefer A");
      List<KeyValue<String, dev.prefstream.avro.LabeledPair>> clean = d.clean.readKeyValuesToList();
      assertEquals(2, clean.size());
      assertNull(clean.get(1).value, "the pair left clean: a tombstone withdraws it");
      assertEquals(Side.B, d.conflicting.readValue().getHumanLabel());
    }
  }

  @Test
  void votesWithoutUserCountPerVoteIdAndVotesShownSwappedCountForTheSameSide() {
    try (LabelerDriver d = new LabelerDriver()) {
      d.score(scored(vote(p, "v1", null, Choice.A, 0), agreeA()));
      d.score(scored(Fixtures.swapped(vote(p, "v2", null, Choice.A, 1)), "s1", 0.1, 0.9, "s2", 1.0, 5.0));
      d.score(scored(vote(p, "v2", null, Choice.A, 1), agreeA()));
      assertEquals(new HumanTally(2, 0, 0, 2), tally(d));
      assertEquals(Side.A, d.clean.readValue().getWinner());
      assertTrue(d.clean.isEmpty());
    }
  }

  @Test
  void aTiedTallyIsPendingAndWithdrawsTheRoutedLabel() {
    try (LabelerDriver d = new LabelerDriver()) {
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), agreeA()));
      d.score(scored(vote(p, "v2", "u2", Choice.B, 1), agreeA()));
      assertEquals(new HumanTally(1, 1, 0, 2), tally(d));
      List<PairLabel> labels = d.labels.readValuesToList();
      assertEquals(2, labels.size());
      PairLabel tied = labels.get(1);
      assertEquals(Route.PENDING, tied.getRoute());
      assertEquals(Side.ABSTAIN, tied.getHumanLabel());
      assertEquals("human-tie", tied.getDecidedBy());
      List<KeyValue<String, dev.prefstream.avro.LabeledPair>> clean = d.clean.readKeyValuesToList();
      assertEquals(2, clean.size());
      assertNull(clean.get(1).value);
      d.score(scored(vote(p, "v3", "u3", Choice.TIE, 2), agreeA()));
      assertEquals(new HumanTally(1, 1, 1, 3), tally(d));
      assertTrue(d.labels.isEmpty(), "still tied: no new event");
    }
  }

  @Test
  void aPairIsRoutedOnlyOnceTheQuorumIsReached() {
    try (LabelerDriver d = new LabelerDriver(LabelerConfig.QUORUM, "3")) {
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), agreeA()));
      d.score(scored(vote(p, "v2", "u2", Choice.TIE, 1), agreeA()));
      assertTrue(d.labels.isEmpty() && d.clean.isEmpty() && d.conflicting.isEmpty());
      d.score(scored(vote(p, "v3", "u3", Choice.A, 2), agreeA()));
      PairLabel l = d.labels.readValue();
      assertEquals(Route.CLEAN, l.getRoute());
      assertEquals(new HumanTally(2, 0, 1, 3), l.getTally());
      d.score(scored(vote(p, "v4", "u4", Choice.A, 3), agreeA()));
      assertTrue(d.labels.isEmpty(), "a fourth agreeing vote changes no decision");
      assertEquals(1, d.clean.getQueueSize());
    }
  }
}
