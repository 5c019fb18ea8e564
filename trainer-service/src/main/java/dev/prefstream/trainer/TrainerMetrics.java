package dev.prefstream.trainer;

import dev.prefstream.diffusion.train.DpoStepResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The trainer's meters, {@code prefstream.trainer.*} tagged with the model name: last step's loss,
 * implicit accuracy and reward margin, step time, trained pairs (counter and per second), buffer and
 * holdout sizes, published version, holdout accuracy of the newest version, consumer lag, and pairs
 * consumed by outcome. {@link #close()} removes them so a restarted trainer can register afresh.
 */
final class TrainerMetrics implements AutoCloseable {
  private final MeterRegistry registry;
  private final String model;
  private final List<Meter> meters = new ArrayList<>();
  private final Timer stepTime;
  private final Counter pairsTrained;
  private volatile double loss = Double.NaN;
  private volatile double accuracy = Double.NaN;
  private volatile double margin = Double.NaN;
  private volatile double pairsPerSecond;
  private volatile double holdoutAccuracy = Double.NaN;
  private final AtomicLong step = new AtomicLong();
  private final AtomicLong version = new AtomicLong(-1);
  private final AtomicLong bufferSize = new AtomicLong();
  private final AtomicLong holdoutSize = new AtomicLong();
  private final AtomicLong lag = new AtomicLong();

  TrainerMetrics(MeterRegistry registry, String model) {
    this.registry = registry;
    this.model = model;
    gauge("loss", "Diffusion-DPO loss of the last step", () -> loss);
    gauge("implicit.accuracy", "share of the last batch's pairs with z > 0", () -> accuracy);
    gauge("reward.margin", "mean z of the last batch", () -> margin);
    gauge("pairs.per.second", "pairs trained per second over the last progress interval", () -> pairsPerSecond);
    gauge("holdout.accuracy", "implicit accuracy of the newest version on held-out pairs", () -> holdoutAccuracy);
    gauge("step", "optimizer steps", step::get);
    gauge("published.version", "newest published model version", version::get);
    gauge("buffer.size", "pairs in the replay buffer", bufferSize::get);
    gauge("holdout.size", "held-out pairs kept for evaluation", holdoutSize::get);
    gauge("consumer.lag", "records on the feed topics not yet consumed", lag::get);
    stepTime = add(Timer.builder("prefstream.trainer.step.time").description("time of one DPO step")
        .tag("model", model).register(registry));
    pairsTrained = add(Counter.builder("prefstream.trainer.pairs.trained").description("pairs trained on")
        .tag("model", model).register(registry));
  }

  private void gauge(String name, String description, Supplier<Number> value) {
    add(Gauge.builder("prefstream.trainer." + name, value).description(description).tag("model", model)
        .strongReference(true).register(registry));
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  void stepped(DpoStepResult result) {
    step.set(result.step());
    if (result.pairs() > 0) {
      loss = result.loss();
      accuracy = result.implicitAccuracy();
      margin = result.rewardMargin();
      pairsTrained.increment(result.pairs());
    }
    stepTime.record((long) (result.stepMillis() * 1e6), TimeUnit.NANOSECONDS);
  }

  /** Counts one consumed record by outcome: buffered, holdout, unlabelled or dead-letter. */
  void consumed(String outcome) {
    Counter.builder("prefstream.trainer.pairs.consumed").description("feed records consumed, by outcome")
        .tag("model", model).tag("outcome", outcome).register(registry).increment();
  }

  void buffer(int training, int heldOut) {
    bufferSize.set(training);
    holdoutSize.set(heldOut);
  }

  void published(int newVersion, Double newHoldoutAccuracy) {
    version.set(newVersion);
    if (newHoldoutAccuracy != null) {
      holdoutAccuracy = newHoldoutAccuracy;
    }
  }

  void progress(double newPairsPerSecond, long newLag) {
    pairsPerSecond = newPairsPerSecond;
    lag.set(newLag);
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
    registry.find("prefstream.trainer.pairs.consumed").tag("model", model).meters().forEach(registry::remove);
  }
}
