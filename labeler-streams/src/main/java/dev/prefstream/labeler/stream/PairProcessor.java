package dev.prefstream.labeler.stream;

import dev.prefstream.labeler.LabelerConfig;
import dev.prefstream.labeler.LabelerMetrics;
import dev.prefstream.labeler.errors.LabelerDeadLetters;
import dev.prefstream.labeler.state.PairState;
import dev.prefstream.labeler.stream.Emission.Destination;
import dev.prefstream.labeler.voting.Reliability;
import dev.prefstream.schemas.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What the labelling task's processors share: the pair store, the {@link PairLabeling} over the
 * reliability store, and refusal as a dead letter. The value is decoded here, not by the source's
 * deserializer, so every refused record keeps its exact raw bytes in the dead letter.
 *
 * @param <V> the record type of the processor's input topic
 */
abstract class PairProcessor<V extends SpecificRecord> implements Processor<String, byte[], String, Emission> {
  protected final LabelerConfig config;
  protected final LabelerMetrics metrics;
  private final LabelerDeadLetters deadLetters;
  private final AvroSerde<V> serde;
  protected ProcessorContext<String, Emission> context;
  protected KeyValueStore<String, PairState> pairs;
  protected PairLabeling labeling;

  PairProcessor(LabelerConfig config, LabelerMetrics metrics, LabelerDeadLetters deadLetters, AvroSerde<V> serde) {
    this.config = config;
    this.metrics = metrics;
    this.deadLetters = deadLetters;
    this.serde = serde;
  }

  @Override
  public void init(ProcessorContext<String, Emission> context) {
    this.context = context;
    this.pairs = context.getStateStore(LabelerStores.PAIRS);
    KeyValueStore<String, Reliability> reliability = context.getStateStore(LabelerStores.RELIABILITY);
    this.labeling = new PairLabeling(config, metrics, reliability, context.taskId().toString());
  }

  /** The decoded value, or null after refusing the record as {@code undeserializable}. */
  protected V decodeOrRefuse(Record<String, byte[]> record) {
    try {
      return serde.decode(record.value());
    } catch (SerializationException | NullPointerException e) {
      refuse(record, "undeserializable", record.value() == null ? "null value" : e.getMessage());
      return null;
    }
  }

  /** Re-decides the pair, forwards what changed and stores the state. */
  protected void update(Record<String, byte[]> record, String pairId, PairState state, long voteTimestamp) {
    labeling.update(pairId, state, voteTimestamp, e -> context.forward(record.withValue(e)));
    pairs.put(pairId, state);
  }

  /** Sends the record's raw bytes to the dead-letter topic with the reason; it counts for nothing. */
  protected void refuse(Record<String, byte[]> record, String reason, String error) {
    RecordMetadata md = context.recordMetadata().orElseThrow();
    context.forward(record.withValue(new Emission(Destination.DLQ, deadLetters.labeler(md, record, reason, error))));
  }
}
