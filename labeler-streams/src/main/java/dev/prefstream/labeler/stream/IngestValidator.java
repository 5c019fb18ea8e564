package dev.prefstream.labeler.stream;

import dev.prefstream.labeler.errors.LabelerDeadLetters;
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

  private final LabelerDeadLetters deadLetters;
  private ProcessorContext<byte[], Emission> context;

  public IngestValidator(LabelerDeadLetters deadLetters) {
    this.deadLetters = deadLetters;
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
    context.forward(record.withValue(
        new Emission(Destination.DLQ, deadLetters.ingest(md, record, REASON, result.errorMessage()))));
  }
}
