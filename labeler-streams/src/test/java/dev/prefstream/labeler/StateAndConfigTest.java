package dev.prefstream.labeler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prefstream.avro.AnchorLabel;
import dev.prefstream.avro.Choice;
import dev.prefstream.avro.Route;
import dev.prefstream.avro.ScorerScore;
import dev.prefstream.avro.Side;
import dev.prefstream.labeler.state.Decision;
import dev.prefstream.labeler.state.PairState;
import dev.prefstream.labeler.state.PairStateSerde;
import dev.prefstream.labeler.state.Pseudo;
import dev.prefstream.labeler.voting.PolicyName;
import dev.prefstream.labeler.voting.Tolerance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pair state's binary form and the config parsing. */
class StateAndConfigTest {
  @Test
  void pairStateRoundTrips() {
    Fixtures.Pair p = Fixtures.pair(1);
    PairState s = PairState.first(Fixtures.vote(p, "v1", "u1", Choice.A, 0));
    s.apply(Fixtures.vote(p, "v1", "u1", Choice.A, 0));
    s.apply(Fixtures.vote(p, "v2", null, Choice.TIE, 3));
    s.scores(List.of(new ScorerScore("s1", "2", 0.5, -1.25)));
    s.decision(new Decision(Route.CONFLICTING, Side.A, Side.B, Side.A));
    s.counted(Side.A, Map.of("s1", Side.B));
    s.pseudo(new Pseudo("unet", 4, Side.A, List.of(new AnchorLabel(50, -2.5, 1.0, -1))));
    s.relabeledVersion(4);
    PairStateSerde serde = new PairStateSerde();
    byte[] bytes = serde.serialize("t", s);
    PairState back = serde.deserialize("t", bytes);
    assertEquals(s.tally(), back.tally());
    assertEquals(s.scores(), back.scores());
    assertEquals(s.decision(), back.decision());
    assertEquals(s.countedSides(), back.countedSides());
    assertEquals(s.pseudo(), back.pseudo());
    assertEquals(4, back.relabeledVersion());
    assertEquals(s.imageA(), back.imageA());
    assertEquals(s.prompt(), back.prompt());
    assertEquals(3, back.lastVoteTimestamp() - Fixtures.T0.toEpochMilli());
    assertEquals(List.of(bytes.length), List.of(serde.serialize("t", back).length));
  }

  @Test
  void configHasDocumentedDefaultsAndPerScorerTolerances() {
    LabelerConfig c = LabelerConfig.defaults();
    assertEquals(PolicyName.MAJORITY, c.policy());
    assertEquals(LabelerConfig.LabelPolicy.HUMAN, c.labelPolicy());
    assertEquals(1, c.quorum());
    assertEquals(0.02, c.holdoutShare());
    assertEquals(Duration.ofHours(24), c.dedupRetention());
    assertEquals(new Tolerance(1e-6, 0), c.tolerance("any"));
    LabelerConfig d = LabelerConfig.from(Map.of(
        LabelerConfig.POLICY, "Weighted",
        LabelerConfig.SCORERS, "pick, clip",
        "labeler.scorer.pick.tolerance.absolute", "0.01",
        "labeler.scorer.clip.tolerance.relative", "0.05",
        LabelerConfig.DEDUP_RETENTION, "2h",
        "labeler.streams.max.poll.records", "500",
        "kafka.bootstrap.servers", "ignored:1"));
    assertEquals(PolicyName.WEIGHTED, d.policy());
    assertEquals(List.of("pick", "clip"), d.scorers());
    assertEquals(new Tolerance(0.01, 0), d.tolerance("pick"));
    assertEquals(new Tolerance(1e-6, 0.05), d.tolerance("clip"));
    assertEquals(Duration.ofHours(2), d.dedupRetention());
    assertEquals(Map.of("max.poll.records", "500"), d.streamsOverrides());
    assertThrows(IllegalArgumentException.class, () -> LabelerConfig.from(Map.of(LabelerConfig.POLICY, "plurality")));
    assertThrows(IllegalArgumentException.class, () -> LabelerConfig.from(Map.of(LabelerConfig.QUORUM, "0")));
  }
}
