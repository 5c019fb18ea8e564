package dev.prefstream.labeler;

import static dev.prefstream.labeler.Fixtures.pair;
import static dev.prefstream.labeler.Fixtures.scored;
import static dev.prefstream.labeler.Fixtures.vote;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.PseudoLabel;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.core.kafka.DeadLetters;
import dev.prefstream.labeler.Fixtures.Pair;
import dev.prefstream.schemas.AvroSerde;
import dev.prefstream.schemas.JsonVotes;
import dev.prefstream.schemas.PairIds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** Ingest validation and the dead-letter paths of the labeller. */
class DeadLetterTopologyTest {
  private final Pair p = pair(3);

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void invalidJsonIsADeadLetterWithTheValidatorsMessageAndValidJsonBecomesAVote() {
    try (LabelerDriver d = new LabelerDriver()) {
      byte[] bad = "{\"voteId\": \"v1\", \"choice\": \"C\"}".getBytes(StandardCharsets.UTF_8);
      d.votesJson.pipeInput("k".getBytes(StandardCharsets.UTF_8), bad);
      byte[] good = JsonVotes.toJson(vote(p, "v2", "u1", Choice.B, 0)).getBytes(StandardCharsets.UTF_8);
      d.votesJson.pipeInput("k".getBytes(StandardCharsets.UTF_8), good);
      d.votesJson.pipeInput("k".getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8));
      List<DeadLetter> letters = d.dlq.readValuesToList();
      assertEquals(2, letters.size());
      DeadLetter l = letters.get(0);
      assertEquals("ingest", l.getStage());
      assertEquals("invalid-vote", l.getReason());
      assertEquals(d.topics.votesJson().name(), l.getSourceTopic());
      assertEquals(0, l.getOffset());
      assertTrue(l.getError().contains("field 'choice' must be \"A\", \"B\" or \"TIE\", got \"C\""), l.getError());
      assertTrue(l.getError().contains("missing field 'prompt'"), l.getError());
      assertArrayEquals(bad, bytes(l.getValue()));
      assertArrayEquals("k".getBytes(StandardCharsets.UTF_8), bytes(l.getKey()));
      assertEquals(2, letters.get(1).getOffset());
      assertTrue(letters.get(1).getError().startsWith("invalid JSON"), letters.get(1).getError());
      KeyValue<String, PreferenceVote> v = d.votes.readKeyValue();
      assertEquals(p.id(), v.key);
      assertEquals("v2", v.value.getVoteId());
      assertEquals(2.0, d.registry.find("prefstream.labeler.dead.letters").tag("reason", "invalid-vote")
          .counter().count());
    }
  }

  @Test
  void aReSentJsonVoteIsPublishedOnce() {
    try (LabelerDriver d = new LabelerDriver()) {
      byte[] json = JsonVotes.toJson(vote(p, "v1", "u1", Choice.A, 0)).getBytes(StandardCharsets.UTF_8);
      d.votesJson.pipeInput("a".getBytes(StandardCharsets.UTF_8), json);
      d.votesJson.pipeInput("b".getBytes(StandardCharsets.UTF_8), json);
      byte[] other = JsonVotes.toJson(vote(p, "v2", "u2", Choice.A, 0)).getBytes(StandardCharsets.UTF_8);
      d.votesJson.pipeInput("a".getBytes(StandardCharsets.UTF_8), other);
      assertEquals(List.of("v1", "v2"), d.votes.readValuesToList().stream().map(PreferenceVote::getVoteId).toList());
      assertEquals(1.0, d.counter("prefstream.labeler.votes.duplicate"));
    }
  }

  @Test
  void nanInfiniteAndMissingScoresAreDeadLettersNotVotes() {
    try (LabelerDriver d = new LabelerDriver(LabelerConfig.SCORERS, "s1,s2")) {
      ScoredPair nan = scored(vote(p, "v1", "u1", Choice.A, 0), "s1", Double.NaN, 0.1, "s2", 0.9, 0.1);
      ScoredPair inf = scored(vote(p, "v2", "u2", Choice.A, 0), "s1", 0.9, 0.1, "s2", 0.9,
          Double.NEGATIVE_INFINITY);
      ScoredPair missing = scored(vote(p, "v3", "u3", Choice.A, 0), "s1", 0.9, 0.1, "s9", 0.9, 0.1);
      d.score(nan);
      d.score(inf);
      d.score(missing);
      List<DeadLetter> letters = d.dlq.readValuesToList();
      assertEquals(List.of("nan-score", "nan-score", "missing-score"),
          letters.stream().map(DeadLetter::getReason).toList());
      assertEquals(List.of(0L, 1L, 2L), letters.stream().map(DeadLetter::getOffset).toList());
      assertTrue(letters.get(0).getError().contains("scorer 's1'"), letters.get(0).getError());
      assertTrue(letters.get(2).getError().contains("'s2'"), letters.get(2).getError());
      assertArrayEquals(AvroSerde.of(ScoredPair.class).encode(nan), bytes(letters.get(0).getValue()));
      assertEquals("labeler", letters.get(0).getStage());
      assertTrue(d.labels.isEmpty() && d.clean.isEmpty() && d.conflicting.isEmpty());
      assertEquals(0.0, d.counter("prefstream.labeler.votes.in"));
    }
  }

  @Test
  void undecodableBytesAndAWrongKeyAreDeadLetters() {
    try (LabelerDriver d = new LabelerDriver()) {
      d.scoredRaw.pipeInput(p.id(), "garbage".getBytes(StandardCharsets.UTF_8));
      d.scored.pipeInput("not-the-pair-id", scored(vote(p, "v1", "u1", Choice.A, 0), "s1", 0.9, 0.1));
      List<DeadLetter> letters = d.dlq.readValuesToList();
      assertEquals(List.of("undeserializable", "bad-pair-id"), letters.stream().map(DeadLetter::getReason).toList());
      assertArrayEquals("garbage".getBytes(StandardCharsets.UTF_8), bytes(letters.get(0).getValue()));
      assertEquals(p.id(), new String(bytes(letters.get(0).getKey()), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aPseudoLabelWhosePairGetsNoVotesInTimeIsADeadLetter() {
    try (LabelerDriver d = new LabelerDriver(LabelerConfig.PSEUDO_LABEL_WAIT, "PT10M")) {
      PseudoLabel label = Fixtures.pseudo(p, 1, 1);
      d.pseudo.pipeInput(p.id(), label);
      d.driver.advanceWallClockTime(Duration.ofMinutes(9));
      assertTrue(d.dlq.isEmpty(), "held while it may still get its pair's votes");
      d.driver.advanceWallClockTime(Duration.ofMinutes(2));
      List<DeadLetter> letters = d.dlq.readValuesToList();
      assertEquals(1, letters.size());
      DeadLetter letter = letters.get(0);
      assertEquals("unknown-pair", letter.getReason());
      assertEquals(d.topics.pseudoLabels().name(), letter.getSourceTopic());
      assertEquals(0, letter.getOffset());
      assertTrue(letter.getError().contains("within PT10M"), letter.getError());
      assertArrayEquals(AvroSerde.of(PseudoLabel.class).encode(label), bytes(letter.getValue()), "raw bytes kept");
      assertEquals(1.0, d.registry.find("prefstream.labeler.dead.letters").tag("reason", "unknown-pair")
          .counter().count());
      d.driver.advanceWallClockTime(Duration.ofHours(1));
      assertTrue(d.dlq.isEmpty(), "dead-lettered once");
      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), "s1", 0.1, 0.9, "s2", 0.1, 0.9));
      assertTrue(d.relabeled.isEmpty(), "an expired pseudo-label no longer applies");
    }
  }

  @Test
  void anUndecodablePseudoLabelIsADeadLetter() {
    try (LabelerDriver d = new LabelerDriver()) {
      d.driver.createInputTopic(d.topics.pseudoLabels().name(), Serdes.String().serializer(),
          Serdes.ByteArray().serializer()).pipeInput(p.id(), "garbage".getBytes(StandardCharsets.UTF_8));
      DeadLetter letter = d.dlq.readValue();
      assertEquals("undeserializable", letter.getReason());
      assertEquals(d.topics.pseudoLabels().name(), letter.getSourceTopic());
    }
  }

  @Test
  void anOversizeJsonVoteIsADeadLetterWithABoundedPrefixAndTheDigestOfTheWhole() {
    try (LabelerDriver d = new LabelerDriver()) {
      byte[] big = ("{\"voteId\": \"" + "x".repeat(JsonVotes.MAX_RECORD_BYTES) + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      d.votesJson.pipeInput("k".getBytes(StandardCharsets.UTF_8), big);
      List<DeadLetter> letters = d.dlq.readValuesToList();
      assertEquals(1, letters.size());
      DeadLetter l = letters.get(0);
      assertEquals("invalid-vote", l.getReason());
      assertTrue(l.getError().contains(big.length + " bytes exceeds"), l.getError());
      assertArrayEquals(Arrays.copyOf(big, DeadLetters.MAX_VALUE_BYTES), bytes(l.getValue()));
      assertEquals(big.length, l.getValueSize());
      assertEquals(PairIds.sha256Hex(big), l.getValueSha256());
      assertTrue(l.getTruncated());
      assertArrayEquals("k".getBytes(StandardCharsets.UTF_8), bytes(l.getKey()), "a short key is kept whole");
    }
  }

  @Test
  void aPseudoLabelTooLargeToHoldIsADeadLetterAtOnceAndItsPairIsStillLabelled() {
    try (LabelerDriver d = new LabelerDriver()) {
      int[] signs = new int[5000];
      Arrays.fill(signs, 1);
      PseudoLabel label = Fixtures.pseudo(p, 1, signs);
      byte[] encoded = AvroSerde.of(PseudoLabel.class).encode(label);
      assertTrue(encoded.length > DeadLetters.MAX_VALUE_BYTES, encoded.length + " bytes");
      d.pseudo.pipeInput(p.id(), label);
      List<DeadLetter> letters = d.dlq.readValuesToList();
      assertEquals(1, letters.size(), "a dead letter at once: a cut one could not be applied later");
      DeadLetter letter = letters.get(0);
      assertEquals("unknown-pair", letter.getReason());
      assertTrue(letter.getError().contains("too large to wait"), letter.getError());
      assertTrue(letter.getTruncated());
      assertEquals(encoded.length, letter.getValueSize());
      assertEquals(PairIds.sha256Hex(encoded), letter.getValueSha256());

      d.score(scored(vote(p, "v1", "u1", Choice.A, 0), "s1", 0.1, 0.9, "s2", 0.1, 0.9));
      assertEquals(p.id(), d.conflicting.readKeyValue().key, "the pair's first vote is labelled");
      assertTrue(d.dlq.isEmpty(), "and not refused");
      assertTrue(d.relabeled.isEmpty(), "the dead-lettered pseudo-label does not apply");
    }
  }
}
