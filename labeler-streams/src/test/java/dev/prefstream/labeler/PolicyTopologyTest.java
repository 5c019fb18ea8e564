package dev.prefstream.labeler;

import static dev.prefstream.labeler.Fixtures.pair;
import static dev.prefstream.labeler.Fixtures.scored;
import static dev.prefstream.labeler.Fixtures.vote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.LabelSource;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.PairLabel;
import dev.prefstream.avro.Route;
import dev.prefstream.avro.ScorerVote;
import dev.prefstream.avro.Side;
import dev.prefstream.labeler.Fixtures.Pair;
import dev.prefstream.labeler.stream.LabelerStores;
import dev.prefstream.labeler.state.PairState;
import dev.prefstream.labeler.voting.Reliability;
import dev.prefstream.labeler.voting.ReliabilityCounts;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** Each voting policy end to end through the topology, with the label policy and hold-out. */
class PolicyTopologyTest {
  private final Pair p = pair(7);

  @Test
  void unanimousIsCleanOnlyWhenEveryScorerVotesForTheHuman() {
    try (LabelerDriver d = new LabelerDriver(LabelerConfig.POLICY, "unanimous")) {
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), "s1", 0.9, 0.1, "s2", 0.8, 0.8));
      PairLabel l = d.labels.readValue();
      assertEquals(Route.CONFLICTING, l.getRoute(), "an abstention counts as disagreement");
      assertEquals("unanimous", l.getPolicy());
      assertEquals("dissent", l.getDecidedBy());
      assertEquals(0.5, l.getAgreement());
      assertEquals(Side.ABSTAIN, l.getMajorityLabel());
      assertEquals(Side.A, l.getTrainingLabel());
      d.score(scored(vote(p, "v2", "u2", Choice.A, 1), "s1", 0.9, 0.1, "s2", 0.9, 0.8));
      l = d.labels.readValue();
      assertEquals(Route.CLEAN, l.getRoute(), "the latest scores decide");
      assertEquals("unanimous", l.getDecidedBy());
      assertEquals(1.0, l.getAgreement());
    }
  }

  @Test
  void majorityCountsTheHumanAsAVoterAndGivesTiesToTheHuman() {
    try (LabelerDriver d = new LabelerDriver(LabelerConfig.POLICY, "majority")) {
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), "s1", 0.1, 0.9, "s2", 0.9, 0.1, "s3", 0.1, 0.9));
      PairLabel l = d.labels.readValue();
      assertEquals("tie-to-human", l.getDecidedBy(), "A: human + s2, B: s1 + s3");
      assertEquals(Route.CLEAN, l.getRoute());
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), "s1", 0.1, 0.9, "s2", 0.5, 0.5, "s3", 0.1, 0.9));
      l = d.labels.readValue();
      assertEquals("majority", l.getDecidedBy());
      assertEquals(Side.B, l.getMajorityLabel());
      assertEquals(Route.CONFLICTING, l.getRoute());
      assertEquals(Side.A, l.getTrainingLabel(), "label policy human trains on the human label");
      LabeledPair c = d.conflicting.readValue();
      assertEquals(Side.A, c.getWinner());
      assertEquals(LabelSource.HUMAN, c.getSource());
    }
  }

  @Test
  void majorityLabelPolicyTrainsOnTheConsensus() {
    try (LabelerDriver d = new LabelerDriver(LabelerConfig.LABEL_POLICY, "majority")) {
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), "s1", 0.1, 0.9, "s2", 0.1, 0.9));
      LabeledPair c = d.conflicting.readValue();
      assertEquals(Side.B, c.getWinner());
      assertEquals(Side.A, c.getHumanLabel());
      assertEquals(LabelSource.MAJORITY, c.getSource());
    }
  }

  @Test
  void weightedFollowsTheScorersThatAgreeWithHumans() {
    try (LabelerDriver d = new LabelerDriver(LabelerConfig.POLICY, "weighted",
        LabelerConfig.MIN_OBSERVATIONS, "5")) {
      // 20 pairs where "good" agrees with the human and "bad" disagrees
      for (int i = 100; i < 120; i++) {
        Pair q = pair(i);
        d.score(scored(vote(q, "w" + i, "u", Choice.A, i), "good", 0.9, 0.1, "bad", 0.1, 0.9));
      }
      assertEquals(new Reliability(20, 20), d.reliability("good"));
      assertEquals(new Reliability(0, 20), d.reliability("bad"));
      assertEquals(20.0 / 20, d.registry.find("prefstream.labeler.scorer.agreement").tag("scorer", "good")
          .gauge().value());
      d.labels.readValuesToList();
      // now "good" says B against the human's A: its weight log(21/1) = 3.04 beats the human's 1.0
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), "good", 0.1, 0.9, "bad", 0.9, 0.1));
      PairLabel l = d.labels.readValue();
      assertEquals("weighted", l.getDecidedBy());
      assertEquals(Route.CONFLICTING, l.getRoute());
      assertEquals(Side.B, l.getMajorityLabel());
      ScorerVote good = l.getScorerVotes().get(0);
      assertEquals(Math.log(21.0), good.getWeight(), 1e-12);
      assertEquals(0.0, l.getScorerVotes().get(1).getWeight(), "worse than chance: no say");
    }
  }

  @Test
  void weightedStartsWithTheHumanTallyAlone() {
    try (LabelerDriver d = new LabelerDriver(LabelerConfig.POLICY, "weighted")) {
      // two of three cold scorers say B against the human's A: under majority this pair would be
      // conflicting; a scorer without evidence has no say yet, so the human decides
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), "s1", 0.1, 0.9, "s2", 0.9, 0.1, "s3", 0.1, 0.9));
      PairLabel l = d.labels.readValue();
      assertEquals(Route.CLEAN, l.getRoute());
      assertEquals(Side.A, l.getMajorityLabel());
      assertTrue(l.getScorerVotes().stream().allMatch(v -> v.getWeight() == 0.0));
      assertEquals(Side.A, d.clean.readValue().getWinner());
      // their votes still count towards the evidence that earns them a weight
      assertEquals(new Reliability(0, 1), d.reliability("s1"));
      assertEquals(new Reliability(1, 1), d.reliability("s2"));
    }
  }

  @Test
  void theCountsAreTheSumOfTheStoredPairsContributions() {
    // what a task relies on when it starts: summing its pair store gives the counts it kept
    try (LabelerDriver d = new LabelerDriver(LabelerConfig.POLICY, "weighted")) {
      for (int i = 200; i < 230; i++) {
        Pair q = pair(i);
        d.score(scored(vote(q, "x" + i, "u1", Choice.A, i), "s1", 0.9, 0.1, "s2", i % 3 == 0 ? 0.9 : 0.1, 0.5));
        if (i % 4 == 0) { // the voter changes their mind: the pair's contribution moves
          d.score(scored(vote(q, "y" + i, "u1", Choice.B, i + 1), "s1", 0.9, 0.1, "s2", 0.1, 0.9));
        }
      }
      assertEquals(new Reliability(22, 30), d.reliability("s1"), "8 of 30 humans changed to B against s1's A");
      ReliabilityCounts summed = new ReliabilityCounts();
      KeyValueStore<String, PairState> pairs = d.driver.getKeyValueStore(LabelerStores.PAIRS);
      try (var all = pairs.all()) {
        all.forEachRemaining(kv -> summed.add(kv.value.countedHuman(), kv.value.countedSides()));
      }
      assertEquals(summed.of("s1"), d.reliability("s1"));
      assertEquals(summed.of("s2"), d.reliability("s2"));
    }
  }

  @Test
  void holdOutMarksCleanPairsOnlyAndIsFixedByThePairId() {
    try (LabelerDriver d = new LabelerDriver(LabelerConfig.HOLDOUT_SHARE, "1.0")) {
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), "s1", 0.9, 0.1));
      assertTrue(d.clean.readValue().getHoldout());
      assertTrue(d.labels.readValue().getHoldout());
      Pair q = pair(8);
      d.score(scored(vote(q, "v2", "u1", Choice.A, 0), "s1", 0.1, 0.9, "s2", 0.1, 0.9));
      assertFalse(d.conflicting.readValue().getHoldout(), "conflicting pairs are never held out");
    }
    try (LabelerDriver d = new LabelerDriver(LabelerConfig.HOLDOUT_SHARE, "0")) {
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), "s1", 0.9, 0.1));
      assertFalse(d.clean.readValue().getHoldout());
    }
  }
}
