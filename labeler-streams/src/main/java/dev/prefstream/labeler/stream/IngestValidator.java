package dev.prefstream.labeler.stream;

import dev.prefstream.labeler.LabelerMetrics;
import dev.prefstream.labeler.errors.DeadLetters;
import dev.prefstream.labeler.stream.Emission.Destination;
import dev.prefstream.schemas.JsonVotes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Validates each JSON vote with the strict {@link JsonVotes} validator: a valid one goes on as a
 * {@code PreferenceVote}, anything else becomes a dead letter (reason {@code invalid-vote}) carrying
 * the validator's message and the raw bytes.
 */
public final class IngestValidator implements Processor<byte[], byte[], byte[], Emission> {
  static final String REASON = "invalid-vote";

  private final LabelerMetrics metrics;
  private ProcessorContext<byte[], Emission> context;

  public IngestValidator(LabelerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], Emission> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    JsonVotes.Result result = JsonVotes.parse(record.value(), record.timestamp());
    if (result.valid()) {
      context.forward(record.withValue(new Emission(Destination.VOTES, result.vote())));
      return;
    }
    RecordMetadata md = context.recordMetadata().orElseThrow();
    metrics.deadLetter(REASON);
    context.forward(record.withValue(new Emission(Destination.DLQ, DeadLetters.of(md.topic(), md.partition(),
        md.offset(), DeadLetters.STAGE_INGEST, REASON, result.errorMessage(), record.key(), record.value(),
        record.timestamp()))));
  }
}
