package dev.prefstream.scorer.service;

import dev.prefstream.scorer.cache.ScoreCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The scoring service's meters, {@code prefstream.scorer.*}. Dead letters are counted by core's
 * {@code prefstream.dlq.records{stage="scorer",reason}}. Thread-safe; shared by the workers.
 *
 * <ul>
 *   <li>{@code images{scorer}}: images scored (cache hits included), its rate is images/s;
 *   <li>{@code scoring.latency{scorer}}: one scorer's call on one batch;
 *   <li>{@code batch.latency}: one batch from decoding to committed transaction;
 *   <li>{@code batch.size}: records per batch;
 *   <li>{@code image.fetch.latency}: fetching and decoding the distinct images of one batch;
 *   <li>{@code cache.hit.ratio}: hits over lookups of the score cache since start;
 *   <li>{@code records.in}, {@code records.out}: votes consumed and scored pairs produced, counted
 *       when their transaction commits;
 *   <li>{@code transactions.aborted}: aborted transactions (their batch is read again).
 * </ul>
 */
public final class ScorerMetrics {
  private final MeterRegistry registry;
  private final Counter recordsIn;
  private final Counter recordsOut;
  private final Counter aborted;
  private final DistributionSummary batchSize;
  private final Timer batchLatency;
  private final Timer fetchLatency;

  public ScorerMetrics(MeterRegistry registry, ScoreCache cache) {
    this.registry = registry;
    recordsIn = Counter.builder("prefstream.scorer.records.in")
        .description("votes consumed, counted at commit").register(registry);
    recordsOut = Counter.builder("prefstream.scorer.records.out")
        .description("scored pairs produced, counted at commit").register(registry);
    aborted = Counter.builder("prefstream.scorer.transactions.aborted")
        .description("aborted transactions; their records are read again").register(registry);
    batchSize = DistributionSummary.builder("prefstream.scorer.batch.size")
        .description("records per batch").baseUnit("records").register(registry);
    batchLatency = Timer.builder("prefstream.scorer.batch.latency")
        .description("one batch from decoding to committed transaction").register(registry);
    fetchLatency = Timer.builder("prefstream.scorer.image.fetch.latency")
        .description("fetching and decoding the distinct images of one batch").register(registry);
    Gauge.builder("prefstream.scorer.cache.hit.ratio", cache, c -> c.stats().hitRatio())
        .description("score cache hits over lookups since start").register(registry);
  }

  /** Counts the images one scorer scored and times its call. */
  public void scored(String scorer, int images, long nanos) {
    Counter.builder("prefstream.scorer.images").description("images scored, cache hits included")
        .tag("scorer", scorer).register(registry).increment(images);
    Timer.builder("prefstream.scorer.scoring.latency").description("one scorer's call on one batch")
        .tag("scorer", scorer).register(registry).record(Duration.ofNanos(nanos));
  }

  public void fetched(long nanos) {
    fetchLatency.record(Duration.ofNanos(nanos));
  }

  /** Records a committed batch. */
  public void committed(int in, int out, long nanos) {
    recordsIn.increment(in);
    recordsOut.increment(out);
    batchSize.record(in);
    batchLatency.record(Duration.ofNanos(nanos));
  }

  public void aborted() {
    aborted.increment();
  }
}
