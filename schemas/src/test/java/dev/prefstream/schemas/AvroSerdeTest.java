package dev.prefstream.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.PreferenceVote;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  private final AvroSerde<PreferenceVote> serde = AvroSerde.of(PreferenceVote.class);

  @Test
  void roundTripsWithSingleObjectHeader() {
    PreferenceVote v = SchemaFixtures.vote("v-1", Choice.A);
    byte[] bytes = serde.serialize("t", v);
    assertEquals((byte) 0xC3, bytes[0]);
    assertEquals((byte) 0x01, bytes[1]);
    long fp = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(SchemaNormalization.parsingFingerprint64(PreferenceVote.getClassSchema()), fp);
    assertEquals(v, serde.deserialize("t", bytes));
  }

  @Test
  void nullStaysNull() {
    assertNull(serde.serialize("t", null));
    assertNull(serde.deserialize("t", null));
  }

  @Test
  void garbageIsASerializationExceptionNamingTheType() {
    SerializationException e = assertThrows(SerializationException.class,
        () -> serde.deserialize("t", "not avro at all".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("PreferenceVote"), e.getMessage());
  }

  @Test
  void truncatedRecordIsASerializationException() {
    byte[] bytes = serde.serialize("t", SchemaFixtures.vote("v-1", Choice.B));
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    assertThrows(SerializationException.class, () -> serde.deserialize("t", cut));
  }

  @Test
  void unknownFingerprintIsRefused() {
    byte[] bytes = serde.serialize("t", SchemaFixtures.vote("v-1", Choice.B));
    bytes[5] ^= 0x55; // corrupt the fingerprint
    SerializationException e = assertThrows(SerializationException.class, () -> serde.deserialize("t", bytes));
    assertTrue(e.getMessage().contains("MissingSchemaException"), e.getMessage());
  }

  @Test
  void reEncodingIsStable() {
    PreferenceVote v = SchemaFixtures.vote("v-2", Choice.TIE);
    assertArrayEquals(serde.encode(v), serde.encode(serde.decode(serde.encode(v))));
  }
}
