package dev.prefstream.labeler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prefstream.avro.AnchorLabel;
import dev.prefstream.avro.Choice;
import dev.prefstream.avro.HumanTally;
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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
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

  /**
   * Bytes written by the first (DataOutputStream-based) encoder of format 1: non-ASCII, NUL and
   * supplementary characters, a tie voter without user id, two scorers, a pseudo-label, image bytes.
   * The state read from them must encode to exactly the same bytes.
   */
  private static final String FORMAT_1_FULL =
          "01002265696e20726f746573205175616472617420c3bc20c08020e282ac20eda0bdedb880001266696c653a"
      + "696d616765732f79312e706e6700403033653037363962313038383661656630666632313730383531646436"
      + "3764343137353563383730333763343331396439393031653766646635313863343835ffffffff001266696c"
      + "653a696d616765732f78312e706e670040656333313638326664653536313931373935326666373861376138"
      + "61646566666430666562633337326464323638373139313663343663363330333831623435ffffffff000000"
      + "030004753a753100027631000000019b76daa8000004763a763200027632020000019b76daa8030005753a75"
      + "c3a900027633010000019b76daa80500000002000273310001323fe0000000000000bff40000000000000003"
      + "73c39f0002763100000000000000017e37e43c8800759c0000019b76daa80501000100000000000100027331"
      + "01010004756e657400000004000000000200000032c0040000000000003ff0000000000000ffffffff000000"
      + "073fd000000000000040000000000000000000000100000004";
  private static final String FORMAT_1_IMAGE_BYTES =
          "01002265696e20726f746573205175616472617420c3bc20c08020e282ac20eda0bdedb880000a66696c653a"
      + "782e706e670002616200000003010203001266696c653a696d616765732f78312e706e670040656333313638"
      + "3266646535363139313739353266663738613761386164656666643066656263333732646432363837313931"
      + "3663343663363330333831623435ffffffff00000000000000000000019b76daa80002020202020000000000"
      + "ffffffff";

  @Test
  void pairStateBytesStayFormatOne() {
    PairStateSerde serde = new PairStateSerde();
    for (String hex : List.of(FORMAT_1_FULL, FORMAT_1_IMAGE_BYTES)) {
      byte[] bytes = HexFormat.of().parseHex(hex);
      assertArrayEquals(bytes, serde.serialize("t", serde.deserialize("t", bytes)));
    }
    PairState s = serde.deserialize("t", HexFormat.of().parseHex(FORMAT_1_FULL));
    assertEquals("ein rotes Quadrat \u00fc \u0000 \u20ac \uD83D\uDE00", s.prompt());
    assertEquals(new HumanTally(1, 1, 1, 3), s.tally());
    assertEquals(List.of(new ScorerScore("s1", "2", 0.5, -1.25), new ScorerScore("s\u00df", "v1", Double.MIN_VALUE, 1e300)),
        s.scores());
    assertThrows(SerializationException.class,
        () -> serde.deserialize("t", Arrays.copyOf(HexFormat.of().parseHex(FORMAT_1_FULL), 40)));
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
    assertEquals(LabelerConfig.PairStore.ROCKSDB, c.pairStore());
    assertEquals(Duration.ofHours(1), c.pseudoLabelWait());
    LabelerConfig d = LabelerConfig.from(Map.of(
        LabelerConfig.POLICY, "Weighted",
        LabelerConfig.SCORERS, "pick, clip",
        "labeler.scorer.pick.tolerance.absolute", "0.01",
        "labeler.scorer.clip.tolerance.relative", "0.05",
        LabelerConfig.DEDUP_RETENTION, "2h",
        LabelerConfig.PAIR_STORE, "In-Memory",
        LabelerConfig.PSEUDO_LABEL_WAIT, "10m",
        "labeler.streams.max.poll.records", "500",
        "kafka.bootstrap.servers", "ignored:1"));
    assertEquals(PolicyName.WEIGHTED, d.policy());
    assertEquals(List.of("pick", "clip"), d.scorers());
    assertEquals(new Tolerance(0.01, 0), d.tolerance("pick"));
    assertEquals(new Tolerance(1e-6, 0.05), d.tolerance("clip"));
    assertEquals(Duration.ofHours(2), d.dedupRetention());
    assertEquals(Map.of("max.poll.records", "500"), d.streamsOverrides());
    assertEquals(LabelerConfig.PairStore.IN_MEMORY, d.pairStore());
    assertEquals(Duration.ofMinutes(10), d.pseudoLabelWait());
    assertThrows(IllegalArgumentException.class, () -> LabelerConfig.from(Map.of(LabelerConfig.PAIR_STORE, "disk")));
    assertThrows(IllegalArgumentException.class,
        () -> LabelerConfig.from(Map.of(LabelerConfig.PSEUDO_LABEL_WAIT, "0s")));
    assertThrows(IllegalArgumentException.class, () -> LabelerConfig.from(Map.of(LabelerConfig.POLICY, "plurality")));
    assertThrows(IllegalArgumentException.class, () -> LabelerConfig.from(Map.of(LabelerConfig.QUORUM, "0")));
  }
}
