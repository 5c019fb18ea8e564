package dev.prefstream.labeler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.ScorerScore;
import dev.prefstream.avro.ScorerVote;
import dev.prefstream.avro.Side;
import dev.prefstream.labeler.voting.Consensus;
import dev.prefstream.labeler.voting.Holdout;
import dev.prefstream.labeler.voting.MajorityPolicy;
import dev.prefstream.labeler.voting.Reliability;
import dev.prefstream.labeler.voting.ReliabilityWeights;
import dev.prefstream.labeler.voting.ScorerVoting;
import dev.prefstream.labeler.voting.Sha256;
import dev.prefstream.labeler.voting.Tolerance;
import dev.prefstream.labeler.voting.UnanimousPolicy;
import dev.prefstream.labeler.voting.WeightedPolicy;
import dev.prefstream.schemas.PairIds;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scorer votes, tolerances, the three policies, the reliability estimator and the hold-out draw. */
class VotingTest {
  private static List<ScorerVote> votes(Side... sides) {
    return Arrays.stream(sides).map(s -> new ScorerVote("s" + s.ordinal(), "1", 0.0, 0.0, 0.0, s, 1.0)).toList();
  }

  @Test
  void exactlyAtTheToleranceIsAnAbstention() {
    Tolerance t = new Tolerance(0.25, 0);
    assertEquals(Side.ABSTAIN, ScorerVoting.side(0.75, 0.5, t));
    assertEquals(Side.ABSTAIN, ScorerVoting.side(0.5, 0.75, t));
    assertEquals(Side.A, ScorerVoting.side(Math.nextUp(0.75), 0.5, t));
    assertEquals(Side.B, ScorerVoting.side(0.5, Math.nextUp(0.75), t));
    assertEquals(Side.ABSTAIN, ScorerVoting.side(1.0, 1.0, new Tolerance(0, 0)));
  }

  @Test
  void aRelativeToleranceFollowsTheScale() {
    Tolerance t = new Tolerance(0, 0.125);
    assertEquals(Side.ABSTAIN, ScorerVoting.side(8.0, 7.0, t), "|8-7| = 0.125 * 8: at the tolerance");
    assertEquals(Side.A, ScorerVoting.side(8.0, 6.5, t));
    assertEquals(Side.ABSTAIN, ScorerVoting.side(0.08, 0.07, t));
    ScorerVote v = ScorerVoting.vote(new ScorerScore("pick", "2", 8.0, 6.5), new Tolerance(0.5, 0.125));
    assertEquals(1.5, v.getTolerance());
    assertEquals(Side.ABSTAIN, v.getSide());
  }

  @Test
  void unanimousNeedsEveryScorerWithTheHuman() {
    UnanimousPolicy u = new UnanimousPolicy();
    assertEquals(new Consensus(Side.A, true, "unanimous"), u.decide(Side.A, votes(Side.A, Side.A)));
    assertEquals(new Consensus(Side.ABSTAIN, false, "dissent"), u.decide(Side.A, votes(Side.A, Side.ABSTAIN)));
    assertEquals(new Consensus(Side.B, false, "dissent"), u.decide(Side.A, votes(Side.B, Side.B)));
    assertEquals(new Consensus(Side.ABSTAIN, false, "dissent"), u.decide(Side.A, votes(Side.A, Side.B)));
    assertTrue(u.decide(Side.B, List.of()).clean(), "no scorers: vacuously unanimous");
  }

  @Test
  void majorityCountsTheHumanAndBreaksTiesToIt() {
    MajorityPolicy m = new MajorityPolicy();
    assertEquals(new Consensus(Side.A, true, "tie-to-human"), m.decide(Side.A, votes(Side.B)));
    assertEquals(new Consensus(Side.B, false, "majority"), m.decide(Side.A, votes(Side.B, Side.B)));
    assertEquals(new Consensus(Side.A, true, "tie-to-human"), m.decide(Side.A, votes(Side.B, Side.B, Side.A)));
    assertEquals(new Consensus(Side.B, true, "majority"), m.decide(Side.B, votes(Side.ABSTAIN, Side.ABSTAIN)));
    assertEquals(new Consensus(Side.A, true, "majority"), m.decide(Side.A, votes(Side.A, Side.B, Side.A)));
  }

  @Test
  void weightedUsesTheWeightsAndRecordsThem() {
    Map<String, Double> w = Map.of("s0", 2.0, "s1", 0.5);
    WeightedPolicy p = new WeightedPolicy(new ReliabilityWeights() {
      @Override
      public double weight(String scorer) {
        return w.get(scorer);
      }

      @Override
      public double humanWeight() {
        return 1.0;
      }
    });
    List<ScorerVote> v = List.of(new ScorerVote("s0", "1", 0.0, 0.0, 0.0, Side.B, 1.0),
        new ScorerVote("s1", "1", 0.0, 0.0, 0.0, Side.A, 1.0));
    assertEquals(new Consensus(Side.B, false, "weighted"), p.decide(Side.A, v), "1 - 2 + 0.5 < 0");
    assertEquals(2.0, v.get(0).getWeight());
  }

  @Test
  void reliabilityIsBetaSmoothedLogOdds() {
    assertEquals(0.5, Reliability.NONE.rate());
    assertEquals(0.0, new Reliability(10, 10).weight(20), "below the minimum evidence: no say yet");
    assertEquals(Math.log(9.0 / 3.0), new Reliability(8, 10).weight(10), 1e-12);
    assertEquals(0.0, new Reliability(2, 10).weight(10), "worse than chance: floored at 0");
    assertEquals(new Reliability(4, 6), new Reliability(3, 5).plus(1, 1));
  }

  @Test
  void theHoldOutDrawIsDeterministicAndHasTheConfiguredShare() {
    assertEquals(Holdout.draw("pair-1"), Holdout.draw("pair-1"));
    int held = 0;
    for (int i = 0; i < 20_000; i++) {
      held += Holdout.isHoldout("pair-" + i, 0.02) ? 1 : 0;
    }
    assertTrue(held > 320 && held < 480, "about 2% of 20000, got " + held);
    assertFalse(Holdout.isHoldout("pair-1", 0));
  }

  @Test
  void theFastDigestsEqualTheSchemaModulesDefinitions() {
    for (int i = 0; i < 2_000; i++) {
      String prompt = "prompt \u00e9 #" + i;
      String a = PairIds.sha256Hex(("a" + i).getBytes(StandardCharsets.UTF_8));
      String b = PairIds.sha256Hex(("b" + i).getBytes(StandardCharsets.UTF_8));
      assertEquals(PairIds.pairId(prompt, a, b), Sha256.pairId(prompt, a, b));
      assertEquals(PairIds.pairId(prompt, b, a), Sha256.pairId(prompt, b, a));
      String pair = "pair-" + i;
      String hex = PairIds.sha256Hex(("holdout:" + pair).getBytes(StandardCharsets.UTF_8));
      assertEquals(Long.parseLong(hex.substring(0, 13), 16) / (double) (1L << 52), Holdout.draw(pair));
    }
  }
}
