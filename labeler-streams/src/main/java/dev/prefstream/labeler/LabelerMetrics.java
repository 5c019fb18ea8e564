package dev.prefstream.labeler;

import dev.prefstream.avro.Route;
import dev.prefstream.labeler.voting.Reliability;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The labeler's own meters, all named {@code prefstream.labeler.*}. Counters are per process and, as
 * with any metric under exactly-once, may count a record twice when a transaction is retried.
 * The per-scorer agreement gauge sums the reliability counts of the tasks this process owns.
 */
public final class LabelerMetrics {
  private final MeterRegistry registry;
  private final Counter votesIn;
  private final Counter duplicates;
  private final Counter decided;
  private final Counter clean;
  private final Counter conflicting;
  private final Counter relabeled;
  private final Timer latency;
  private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Reliability>> reliability = new ConcurrentHashMap<>();

  public LabelerMetrics(MeterRegistry registry) {
    this.registry = registry;
    votesIn = Counter.builder("prefstream.labeler.votes.in").description("scored votes accepted").register(registry);
    duplicates = Counter.builder("prefstream.labeler.votes.duplicate")
        .description("re-sent vote ids dropped at ingest").register(registry);
    decided = Counter.builder("prefstream.labeler.pairs.decided")
        .description("decision changes that routed a pair").register(registry);
    clean = Counter.builder("prefstream.labeler.pairs.clean").description("pairs routed clean").register(registry);
    conflicting = Counter.builder("prefstream.labeler.pairs.conflicting")
        .description("pairs routed conflicting").register(registry);
    relabeled = Counter.builder("prefstream.labeler.pairs.relabeled")
        .description("conflicting pairs published with pseudo-labels").register(registry);
    latency = Timer.builder("prefstream.labeler.decision.latency")
        .description("vote timestamp to label event").publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry);
  }

  /** Meters that go nowhere, for tests and tools that do not publish metrics. */
  public static LabelerMetrics discarding() {
    return new LabelerMetrics(new CompositeMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void voteIn() {
    votesIn.increment();
  }

  public void duplicate() {
    duplicates.increment();
  }

  /** A decision change to {@code route}, {@code latencyMs} after the newest vote. */
  public void decided(Route route, long latencyMs) {
    if (route == Route.PENDING) {
      return;
    }
    decided.increment();
    (route == Route.CLEAN ? clean : conflicting).increment();
    latency.record(Duration.ofMillis(Math.max(0, latencyMs)));
  }

  public void relabeled() {
    relabeled.increment();
  }

  public void deadLetter(String reason) {
    deadLetters.computeIfAbsent(reason, r -> Counter.builder("prefstream.labeler.dead.letters")
        .description("records sent to the dead-letter topic").tag("reason", r).register(registry)).increment();
  }

  /** The current reliability counts of one scorer in one task. */
  public void reliability(String task, String scorer, Reliability r) {
    reliability.computeIfAbsent(scorer, s -> {
      Map<String, Reliability> perTask = new ConcurrentHashMap<>();
      Gauge.builder("prefstream.labeler.scorer.agreement", perTask, LabelerMetrics::agreementRate)
          .description("share of a scorer's non-abstaining votes that matched the human label")
          .tag("scorer", s).register(registry);
      Gauge.builder("prefstream.labeler.scorer.votes", perTask, m -> m.values().stream()
              .mapToLong(Reliability::votes).sum())
          .description("a scorer's non-abstaining votes on pairs with a human label (its evidence)")
          .tag("scorer", s).register(registry);
      return perTask;
    }).put(task, r);
  }

  /** Forgets a task's counts when the task leaves this process. */
  public void taskClosed(String task) {
    reliability.values().forEach(m -> m.remove(task));
  }

  private static double agreementRate(Map<String, Reliability> perTask) {
    long agree = 0;
    long votes = 0;
    for (Reliability r : perTask.values()) {
      agree += r.agree();
      votes += r.votes();
    }
    return votes == 0 ? Double.NaN : agree / (double) votes;
  }
}
