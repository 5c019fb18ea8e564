package dev.prefstream.labeler.errors;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Kafka Streams exception handlers that turn a failed record into a dead letter and go on. Kafka
 * Streams writes the returned dead-letter records in the task's transaction. They find the
 * {@link LabelerDeadLetters} under {@link LabelerDeadLetters#CONFIG_KEY} in the Streams config.
 */
public final class DeadLetterHandlers {
  private DeadLetterHandlers() {}

  private static LabelerDeadLetters from(Map<String, ?> configs) {
    if (configs.get(LabelerDeadLetters.CONFIG_KEY) instanceof LabelerDeadLetters letters) {
      return letters;
    }
    throw new ConfigException(LabelerDeadLetters.CONFIG_KEY, configs.get(LabelerDeadLetters.CONFIG_KEY),
        "the labeler's exception handlers need a LabelerDeadLetters instance");
  }

  /** A record whose key or value cannot be deserialized: dead letter {@code undeserializable}. */
  public static final class Deserialization implements DeserializationExceptionHandler {
    private LabelerDeadLetters letters;

    @Override
    public void configure(Map<String, ?> configs) {
      letters = from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception e) {
      return Response.resume(List.of(letters.forHandler(context, "undeserializable", e)));
    }
  }

  /** An exception thrown by a processor: dead letter {@code processing-error}. */
  public static final class Processing implements ProcessingExceptionHandler {
    private LabelerDeadLetters letters;

    @Override
    public void configure(Map<String, ?> configs) {
      letters = from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception e) {
      return Response.resume(List.of(letters.forHandler(context, "processing-error", e)));
    }
  }

  /**
   * A result that cannot be serialized or is too large for the broker: dead letter
   * {@code production-error} with the source record. Retriable errors are retried; any other send
   * error fails the task, as the default handler does. A dead letter that cannot be written is logged
   * and counted ({@link LabelerDeadLetters#failed}) and the task goes on without it: a dead letter for
   * it would hold the same source record and fail again, one after another.
   */
  public static final class Production implements ProductionExceptionHandler {
    private LabelerDeadLetters letters;

    @Override
    public void configure(Map<String, ?> configs) {
      letters = from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception e) {
      if (e instanceof RetriableException) {
        return Response.retry();
      }
      if (isDeadLetter(record)) {
        letters.failed(context, e);
        return Response.resume();
      }
      if (e instanceof RecordTooLargeException) {
        return Response.resume(List.of(letters.forHandler(context, "production-error", e)));
      }
      return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception e,
        SerializationExceptionOrigin origin) {
      if (isDeadLetter(record)) {
        letters.failed(context, e);
        return Response.resume();
      }
      return Response.resume(List.of(letters.forHandler(context, "production-error", e)));
    }

    private boolean isDeadLetter(ProducerRecord<?, ?> record) {
      return letters.topic().equals(record.topic());
    }
  }
}
