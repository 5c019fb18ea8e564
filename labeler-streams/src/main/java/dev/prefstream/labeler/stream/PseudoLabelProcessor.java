package dev.prefstream.labeler.stream;

import dev.prefstream.avro.PseudoLabel;
import dev.prefstream.labeler.LabelerConfig;
import dev.prefstream.labeler.LabelerMetrics;
import dev.prefstream.labeler.errors.LabelerDeadLetters;
import dev.prefstream.labeler.state.PairState;
import dev.prefstream.labeler.state.Pseudo;
import dev.prefstream.labeler.stream.Emission.Destination;
import dev.prefstream.labeler.voting.Reliability;
import dev.prefstream.schemas.AvroSerde;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins pseudo-labels to the pair state. A pseudo-label from a later model version supersedes the
 * pair's earlier one; one from the same or an older version (late or re-sent) is ignored. A
 * pseudo-label for a pair the labeler never saw is a dead letter ({@code unknown-pair}).
 */
public final class PseudoLabelProcessor implements Processor<String, byte[], String, Emission> {
  private static final AvroSerde<PseudoLabel> SERDE = AvroSerde.of(PseudoLabel.class);

  private final LabelerConfig config;
  private final LabelerMetrics metrics;
  private final LabelerDeadLetters deadLetters;
  private ProcessorContext<String, Emission> context;
  private KeyValueStore<String, PairState> pairs;
  private PairLabeling labeling;

  public PseudoLabelProcessor(LabelerConfig config, LabelerMetrics metrics, LabelerDeadLetters deadLetters) {
    this.config = config;
    this.metrics = metrics;
    this.deadLetters = deadLetters;
  }

  @Override
  public void init(ProcessorContext<String, Emission> context) {
    this.context = context;
    this.pairs = context.getStateStore(LabelerStores.PAIRS);
    KeyValueStore<String, Reliability> reliability = context.getStateStore(LabelerStores.RELIABILITY);
    this.labeling = new PairLabeling(config, metrics, reliability, context.taskId().toString());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    PseudoLabel label;
    try {
      label = SERDE.decode(record.value());
    } catch (SerializationException | NullPointerException e) {
      refuse(record, "undeserializable", record.value() == null ? "null value" : e.getMessage());
      return;
    }
    String pairId = record.key();
    if (!label.getPairId().equals(pairId)) {
      refuse(record, "bad-pair-id", "key " + pairId + " is not the pseudo-label's pairId " + label.getPairId());
      return;
    }
    PairState state = pairs.get(pairId);
    if (state == null) {
      refuse(record, "unknown-pair", "no votes seen for pair " + pairId);
      return;
    }
    Pseudo current = state.pseudo();
    if (current != null && label.getModelVersion() <= current.version()) {
      return;
    }
    state.pseudo(new Pseudo(label.getModelName(), label.getModelVersion(), state.decision().human(),
        List.copyOf(label.getAnchors())));
    labeling.update(pairId, state, -1, e -> context.forward(record.withValue(e)));
    pairs.put(pairId, state);
  }

  private void refuse(Record<String, byte[]> record, String reason, String error) {
    RecordMetadata md = context.recordMetadata().orElseThrow();
    context.forward(record.withValue(new Emission(Destination.DLQ, deadLetters.labeler(md, record, reason, error))));
  }
}
