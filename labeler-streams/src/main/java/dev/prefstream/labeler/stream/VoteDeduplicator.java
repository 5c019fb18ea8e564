package dev.prefstream.labeler.stream;

import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.labeler.LabelerMetrics;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops a vote whose id was seen within the retention (a re-sent vote counts once). The window store
 * maps vote id to its first-seen time and drops whole segments past the retention, so memory stays
 * bounded in time. Runs after the repartition by pair id, so all copies of a vote meet in one task.
 */
public final class VoteDeduplicator implements Processor<String, PreferenceVote, String, PreferenceVote> {
  private final String storeName;
  private final long retentionMs;
  private final LabelerMetrics metrics;
  private ProcessorContext<String, PreferenceVote> context;
  private WindowStore<String, Long> seen;

  public VoteDeduplicator(String storeName, Duration retention, LabelerMetrics metrics) {
    this.storeName = storeName;
    this.retentionMs = retention.toMillis();
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, PreferenceVote> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, PreferenceVote> record) {
    String voteId = record.value().getVoteId();
    long ts = record.timestamp();
    try (WindowStoreIterator<Long> it = seen.fetch(voteId, Math.max(0, ts - retentionMs), ts + retentionMs)) {
      if (it.hasNext()) {
        metrics.duplicate();
        return;
      }
    }
    seen.put(voteId, ts, ts);
    context.forward(record);
  }
}
