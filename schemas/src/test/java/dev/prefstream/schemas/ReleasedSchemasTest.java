package dev.prefstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.PreferenceVote;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class ReleasedSchemasTest {

  @Test
  void everyTopicValueSchemaIsReleased() {
    List<String> missing = Topics.defaults().all().stream()
        .map(t -> t.valueSerde())
        .filter(s -> s instanceof AvroSerde<?>)
        .map(s -> SpecificData.get().getSchema(((AvroSerde<?>) s).type()))
        .filter(schema -> !ReleasedSchemas.get().isReleased(schema))
        .map(Schema::getFullName)
        .toList();
    assertTrue(missing.isEmpty(), "current schema not released (add a new avro/released file): " + missing);
  }

  @Test
  void versionOneVoteStillDecodesWithDefaults() throws Exception {
    Schema v1 = release("PreferenceVote-v1.avsc");
    assertNull(v1.getField("source"), "v1 predates the source field");
    PreferenceVote current = SchemaFixtures.vote("v-old", Choice.B);
    Schema image = v1.getField("imageA").schema();
    GenericRecord old = new GenericRecordBuilder(v1)
        .set("voteId", "v-old").set("pairId", current.getPairId()).set("prompt", "a red apple")
        .set("imageA", new GenericRecordBuilder(image).set("uri", "file:a.png").set("sha256", SchemaFixtures.SHA_A).build())
        .set("imageB", new GenericRecordBuilder(image).set("uri", "file:b.png").set("sha256", SchemaFixtures.SHA_B).build())
        .set("choice", new GenericData.EnumSymbol(v1.getField("choice").schema(), "B"))
        .set("userId", "u-9").set("timestamp", 1_795_000_000_000L)
        .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old, out);

    PreferenceVote decoded = AvroSerde.of(PreferenceVote.class).decode(out.toByteArray());

    assertEquals("v-old", decoded.getVoteId());
    assertEquals(Choice.B, decoded.getChoice());
    assertEquals("unknown", decoded.getSource(), "field added in v2 takes its default");
    assertTrue(decoded.getAttributes().isEmpty());
  }

  @Test
  void versionOneDeadLetterStillDecodesAsWholeWithUnknownSizes() throws Exception {
    Schema v1 = release("DeadLetter-v1.avsc");
    assertNull(v1.getField("valueSize"), "v1 predates the size and digest fields");
    GenericRecord old = new GenericRecordBuilder(v1)
        .set("sourceTopic", "prefs.votes.json").set("partition", 2).set("offset", 41L)
        .set("stage", "ingest").set("reason", "invalid-vote").set("error", "not UTF-8 text")
        .set("key", ByteBuffer.wrap(new byte[] {1})).set("value", ByteBuffer.wrap(new byte[] {2, 3}))
        .set("recordTimestamp", 7L).set("failedAt", 1_795_000_000_000L)
        .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old, out);

    DeadLetter decoded = AvroSerde.of(DeadLetter.class).decode(out.toByteArray());

    assertEquals(41L, decoded.getOffset());
    assertEquals(ByteBuffer.wrap(new byte[] {2, 3}), decoded.getValue());
    assertEquals(-1L, decoded.getValueSize(), "fields added in v2 take their defaults");
    assertEquals(-1L, decoded.getKeySize());
    assertNull(decoded.getValueSha256());
    assertNull(decoded.getKeySha256());
    assertFalse(decoded.getTruncated(), "a v1 writer kept key and value whole");
  }

  private static Schema release(String file) {
    return ReleasedSchemas.get().releases().stream()
        .filter(r -> r.file().equals(file)).findFirst().orElseThrow().schema();
  }
}
