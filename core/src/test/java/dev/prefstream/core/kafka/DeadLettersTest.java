package dev.prefstream.core.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.schemas.PairIds;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The bounds of a dead letter, and what happens to one that cannot be written. */
class DeadLettersTest {
  private final Topics topics = Topics.defaults();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DeadLetters letters = new DeadLetters(topics.dlq(), "unit", registry);

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SplittableRandom(n).nextBytes(b);
    return b;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private ProducerRecord<byte[], DeadLetter> letter(byte[] key, byte[] value) {
    return letters.of("src", 3, 17L, 5L, key, value, "why", "because");
  }

  @Test
  void smallKeyAndValueAreKeptWholeWithTheirSizeAndDigest() {
    byte[] key = {1};
    byte[] value = {2, 3};
    DeadLetter l = letter(key, value).value();
    assertArrayEquals(value, bytes(l.getValue()));
    assertArrayEquals(key, bytes(l.getKey()));
    assertEquals(2L, l.getValueSize());
    assertEquals(1L, l.getKeySize());
    assertEquals(PairIds.sha256Hex(value), l.getValueSha256());
    assertEquals(PairIds.sha256Hex(key), l.getKeySha256());
    assertFalse(l.getTruncated());
    assertEquals(17L, l.getOffset());
    assertEquals("unit", l.getStage());
  }

  @Test
  void aLargeValueKeepsItsPrefixWithTheSizeAndDigestOfTheWhole() {
    byte[] value = random(2 * 1024 * 1024 + 963);
    DeadLetter l = letter(new byte[] {1}, value).value();
    assertEquals(DeadLetters.MAX_VALUE_BYTES, l.getValue().remaining());
    assertArrayEquals(Arrays.copyOf(value, DeadLetters.MAX_VALUE_BYTES), bytes(l.getValue()), "the first bytes");
    assertEquals(value.length, l.getValueSize());
    assertEquals(PairIds.sha256Hex(value), l.getValueSha256(), "the digest of the whole value");
    assertNotEquals(PairIds.sha256Hex(bytes(l.getValue())), l.getValueSha256(), "not of the kept prefix");
    assertTrue(l.getTruncated());
    assertFalse(l.getError().isEmpty());
  }

  @Test
  void aValueAtTheLimitIsWholeAndOneByteMoreIsCut() {
    byte[] atLimit = random(DeadLetters.MAX_VALUE_BYTES);
    DeadLetter whole = letter(null, atLimit).value();
    assertArrayEquals(atLimit, bytes(whole.getValue()));
    assertFalse(whole.getTruncated());

    byte[] over = random(DeadLetters.MAX_VALUE_BYTES + 1);
    DeadLetter cut = letter(null, over).value();
    assertEquals(DeadLetters.MAX_VALUE_BYTES, cut.getValue().remaining());
    assertEquals(over.length, cut.getValueSize());
    assertTrue(cut.getTruncated());
  }

  @Test
  void aLongKeyIsBoundedTheSameWayAndTheBoundedKeyKeysTheDeadLetter() {
    byte[] key = random(10_000);
    ProducerRecord<byte[], DeadLetter> record = letter(key, new byte[] {7});
    DeadLetter l = record.value();
    assertArrayEquals(Arrays.copyOf(key, DeadLetters.MAX_KEY_BYTES), bytes(l.getKey()));
    assertEquals(key.length, l.getKeySize());
    assertEquals(PairIds.sha256Hex(key), l.getKeySha256());
    assertTrue(l.getTruncated(), "truncated when the key was cut, even with the value whole");
    assertArrayEquals(new byte[] {7}, bytes(l.getValue()));
    assertArrayEquals(bytes(l.getKey()), record.key(), "the record's key is the kept prefix");
  }

  @Test
  void noKeyAndNoValueStayNullWithUnknownSizes() {
    ProducerRecord<byte[], DeadLetter> record = letter(null, null);
    DeadLetter l = record.value();
    assertNull(l.getKey());
    assertNull(l.getValue());
    assertNull(record.key());
    assertEquals(-1L, l.getKeySize());
    assertEquals(-1L, l.getValueSize());
    assertNull(l.getKeySha256());
    assertNull(l.getValueSha256());
    assertFalse(l.getTruncated());

    DeadLetter empty = letter(new byte[0], new byte[0]).value();
    assertEquals(0L, empty.getValueSize(), "an empty value is not a missing one");
    assertEquals(PairIds.sha256Hex(new byte[0]), empty.getValueSha256());
  }

  @Test
  void theWorstDeadLetterStaysFarBelowTheRequestLimit() {
    String error = "\u20ac".repeat(1_000_000); // 3 bytes per char in UTF-8
    DeadLetter l = letters.held("src", 0, 0L, 0L, random(4 << 20), random(4 << 20), "why", error);
    byte[] encoded = topics.dlq().valueSerde().serializer().serialize(topics.dlq().name(), l);
    // the error is cut to 4000 characters (12 KB at most in UTF-8); provenance takes a few hundred bytes
    int limit = DeadLetters.MAX_VALUE_BYTES + DeadLetters.MAX_KEY_BYTES + 16 * 1024;
    assertTrue(encoded.length <= limit, encoded.length + " bytes encoded, more than " + limit);
    assertTrue(encoded.length < (1 << 20) / 8, "an eighth of the default 1 MiB max.request.size");
  }

  @Test
  void aFailedSendIsCountedOnceAndNothingElseIsSent() {
    MockProducer<byte[], DeadLetter> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
        topics.dlq().valueSerde().serializer());
    letters.send(producer, letter(new byte[] {1}, new byte[] {2}));
    assertEquals(0.0, failedCount(), "registered at 0 before anything failed");
    assertTrue(producer.errorNext(new RecordTooLargeException("too large")));
    assertEquals(1.0, failedCount());
    assertEquals(1, producer.history().size(), "no second dead letter for the failed one");
    assertEquals(1.0, registry.find("prefstream.dlq.records").tag("stage", "unit").counter().count());
  }

  private double failedCount() {
    return registry.find("prefstream.dlq.failed").tag("stage", "unit").counter().count();
  }
}
