package dev.prefstream.labeler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.core.kafka.DeadLetters;
import dev.prefstream.labeler.errors.DeadLetterHandlers;
import dev.prefstream.labeler.errors.LabelerDeadLetters;
import dev.prefstream.schemas.AvroSerde;
import dev.prefstream.schemas.PairIds;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/**
 * The production exception handler: a result that fails becomes one bounded dead letter; a dead
 * letter that fails is counted and becomes nothing, so no dead letter can beget another.
 */
class ProductionHandlerTest {
  private final Topics topics = Topics.defaults();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DeadLetterHandlers.Production handler = new DeadLetterHandlers.Production();
  private final byte[] source = new byte[2 * 1024 * 1024 + 1];

  ProductionHandlerTest() {
    Arrays.fill(source, (byte) '{');
    handler.configure(Map.of(LabelerDeadLetters.CONFIG_KEY,
        new LabelerDeadLetters(topics.dlq(), new LabelerMetrics(registry))));
  }

  /** The context of the source record being processed when a send failed. */
  private record Context(String topic, int partition, long offset, byte[] sourceRawKey, byte[] sourceRawValue)
      implements ErrorHandlerContext {
    @Override
    public Headers headers() {
      return new RecordHeaders();
    }

    @Override
    public String processorNodeId() {
      return "ingest-validate";
    }

    @Override
    public TaskId taskId() {
      return new TaskId(0, 0);
    }

    @Override
    public long timestamp() {
      return 5L;
    }
  }

  private Context context() {
    return new Context(topics.votesJson().name(), 0, 42L, "k".getBytes(StandardCharsets.UTF_8), source);
  }

  private ProducerRecord<byte[], byte[]> to(String topic) {
    return new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
  }

  private double count(String name, String tag, String value) {
    Counter c = registry.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aResultTooLargeForTheBrokerIsOneBoundedDeadLetter() {
    Response r = handler.handleError(context(), to(topics.labels().name()), new RecordTooLargeException("big"));
    assertEquals(Result.RESUME, r.result());
    assertEquals(1, r.deadLetterQueueRecords().size());
    ProducerRecord<byte[], byte[]> record = r.deadLetterQueueRecords().get(0);
    assertEquals(topics.dlq().name(), record.topic());
    DeadLetter letter = AvroSerde.of(DeadLetter.class).decode(record.value());
    assertEquals("production-error", letter.getReason());
    assertEquals(42L, letter.getOffset());
    assertEquals(DeadLetters.MAX_VALUE_BYTES, letter.getValue().remaining(), "the source value, bounded");
    assertEquals(source.length, letter.getValueSize());
    assertEquals(PairIds.sha256Hex(source), letter.getValueSha256());
    assertTrue(record.value().length < 2 * DeadLetters.MAX_VALUE_BYTES, record.value().length + " bytes");
  }

  @Test
  void aDeadLetterTooLargeForTheBrokerIsCountedOnceAndNotDeadLetteredAgain() {
    Response r = handler.handleError(context(), to(topics.dlq().name()), new RecordTooLargeException("big"));
    assertEquals(Result.RESUME, r.result());
    assertTrue(r.deadLetterQueueRecords().isEmpty(), "no dead letter for a dead letter");
    assertEquals(1.0, count("prefstream.dlq.failed", "stage", "labeler"));
    assertEquals(0.0, count("prefstream.dlq.records", "stage", "labeler"));
    assertEquals(0.0, count("prefstream.labeler.dead.letters", "reason", "production-error"));
  }

  @Test
  void anyOtherFailureOfADeadLetterIsCountedAndTheTaskGoesOn() {
    Response r = handler.handleError(context(), to(topics.dlq().name()), new AuthorizationException("denied"));
    assertEquals(Result.RESUME, r.result());
    assertTrue(r.deadLetterQueueRecords().isEmpty());
    Response s = handler.handleSerializationError(context(), to(topics.dlq().name()),
        new SerializationException("cannot encode"), SerializationExceptionOrigin.VALUE);
    assertEquals(Result.RESUME, s.result());
    assertTrue(s.deadLetterQueueRecords().isEmpty());
    assertEquals(2.0, count("prefstream.dlq.failed", "stage", "labeler"));
  }

  @Test
  void retriableErrorsAreRetriedAndOtherErrorsOfAResultFailTheTask() {
    assertEquals(Result.RETRY,
        handler.handleError(context(), to(topics.dlq().name()), new TimeoutException("slow")).result());
    assertEquals(Result.FAIL,
        handler.handleError(context(), to(topics.labels().name()), new AuthorizationException("denied")).result());
    assertEquals(0.0, count("prefstream.dlq.failed", "stage", "labeler"));
  }
}
