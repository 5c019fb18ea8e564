package dev.prefstream.labeler.stream;

import dev.prefstream.avro.PseudoLabel;
import dev.prefstream.labeler.LabelerConfig;
import dev.prefstream.labeler.LabelerMetrics;
import dev.prefstream.labeler.errors.LabelerDeadLetters;
import dev.prefstream.labeler.state.PairState;
import dev.prefstream.labeler.state.Pseudo;
import dev.prefstream.schemas.AvroSerde;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Joins pseudo-labels to the pair state. A pseudo-label from a later model version supersedes the
 * pair's earlier one; one from the same or an older version (late or re-sent) is ignored. A
 * pseudo-label for a pair the labeler never saw is a dead letter ({@code unknown-pair}).
 */
public final class PseudoLabelProcessor extends PairProcessor<PseudoLabel> {
  public PseudoLabelProcessor(LabelerConfig config, LabelerMetrics metrics, LabelerDeadLetters deadLetters) {
    super(config, metrics, deadLetters, AvroSerde.of(PseudoLabel.class));
  }

  @Override
  public void process(Record<String, byte[]> record) {
    PseudoLabel label = decodeOrRefuse(record);
    if (label == null) {
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
    update(record, pairId, state, -1);
  }
}
