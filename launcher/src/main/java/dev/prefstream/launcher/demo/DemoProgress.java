package dev.prefstream.launcher.demo;

import dev.prefstream.core.service.Service;
import dev.prefstream.launcher.demo.DemoRecords.Snapshot;
import dev.prefstream.launcher.demo.DemoRecords.VersionEval;
import dev.prefstream.launcher.demo.DemoRecords.WinRate;
import dev.prefstream.trainer.TrainerService;
import dev.prefstream.trainer.TrainerStatus;
import dev.prefstream.trainer.relabel.Relabeler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The demo's live view: a progress bar over the run's duration whose message shows the label flow,
 * training and the latest evaluation, read from the process's meters and the services' status; and
 * the timeline the report plots. On a terminal it redraws in place; elsewhere it prints a line every
 * 15 seconds.
 */
public final class DemoProgress {
  private final MeterRegistry registry;
  private final TrainerService trainer;
  private final Relabeler relabeler;
  private final List<Snapshot> timeline = new ArrayList<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile String lastLine = "";

  private volatile java.time.Instant startedAt = java.time.Instant.now();

  public DemoProgress(MeterRegistry registry, TrainerService trainer, Relabeler relabeler) {
    this.registry = registry;
    this.trainer = trainer;
    this.relabeler = relabeler;
  }

  /** Updates until the duration ends, {@link #stop()} is called, or a service stops being live. */
  public void run(Duration length, VersionEvaluator evaluator, List<Service> services) throws InterruptedException {
    long start = System.nanoTime();
    startedAt = java.time.Instant.now();
    long seconds = Math.max(1, length.toSeconds());
    boolean terminal = System.console() != null;
    ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("demo").setInitialMax(seconds).setUnit("s", 1)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).showSpeed().setMaxRenderedLength(200);
    if (!terminal) {
      builder.setConsumer(new me.tongfei.progressbar.DelegatingProgressBarConsumer(s -> { }));
    }
    try (ProgressBar bar = builder.build()) {
      long lastPrint = 0;
      while (!stop.await(1, TimeUnit.SECONDS)) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        Snapshot s = snapshot(elapsed);
        timeline.add(s);
        lastLine = line(s, evaluator);
        bar.stepTo(Math.min(seconds, (long) elapsed));
        bar.setExtraMessage(lastLine);
        if (!terminal && elapsed - lastPrint >= 15) {
          lastPrint = (long) elapsed;
          System.out.printf(Locale.ROOT, "[%4.0fs/%ds] %s%n", elapsed, seconds, lastLine);
        }
        Service dead = services.stream().filter(x -> !x.isLive()).findFirst().orElse(null);
        if (dead != null) {
          System.out.printf("%n%s stopped being live; ending the demo early (see the log above)%n", dead.name());
          break;
        }
        if (elapsed >= seconds) {
          break;
        }
      }
    }
  }

  /** Ends the run early (Ctrl-C); then waits up to two minutes for the report to be written. */
  public void stop() {
    stop.countDown();
    try {
      done.await(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Called once the report is written (or the demo failed), releasing a Ctrl-C waiting in {@link #stop()}. */
  public void done() {
    done.countDown();
  }

  public List<Snapshot> timeline() {
    return List.copyOf(timeline);
  }

  private Snapshot snapshot(double elapsed) {
    TrainerStatus t = trainer.status();
    return new Snapshot(elapsed, count("prefstream.feeder.votes"), count("prefstream.scorer.records.out"),
        count("prefstream.labeler.pairs.clean"), count("prefstream.labeler.pairs.conflicting"),
        count("prefstream.labeler.pairs.relabeled"),
        count("prefstream.dlq.records") + count("prefstream.labeler.dead.letters"),
        t.step(), t.loss(), t.implicitAccuracy(), t.holdoutAccuracy(), t.version());
  }

  private static String line(Snapshot s, VersionEvaluator evaluator) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "votes %d scored %d | clean %d conflicting %d relabeled %d | dlq %d | ",
        s.votes(), s.scored(), s.clean(), s.conflicting(), s.relabeled(), s.deadLetters()));
    if (s.step() > 0) {
      b.append(String.format(Locale.ROOT, "step %d loss %.3f acc %.2f held-out %s | ", s.step(), s.loss(), s.accuracy(),
          Double.isNaN(s.holdoutAccuracy()) ? "-" : String.format(Locale.ROOT, "%.2f", s.holdoutAccuracy())));
    } else {
      b.append("waiting for pairs | ");
    }
    b.append("v").append(s.version());
    List<VersionEval> results = evaluator.results();
    if (!results.isEmpty()) {
      VersionEval e = results.get(results.size() - 1);
      WinRate w = e.metrics().get("oracle.overall");
      if (w != null) {
        b.append(String.format(Locale.ROOT, " | win(v%d) %.2f [%.2f, %.2f]", e.version(), w.rate(), w.low(), w.high()));
      }
    }
    if (evaluator.evaluating() > 0) {
      b.append(" | evaluating v").append(evaluator.evaluating());
    }
    return b.toString();
  }

  private long count(String name) {
    return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  /** Mean agreement with humans per scorer, from the labeler's gauges. */
  public Map<String, Double> scorerAgreement() {
    Map<String, List<Double>> byScorer = new TreeMap<>();
    for (Gauge g : registry.find("prefstream.labeler.scorer.agreement").gauges()) {
      double v = g.value();
      if (Double.isFinite(v)) {
        byScorer.computeIfAbsent(g.getId().getTag("scorer"), k -> new ArrayList<>()).add(v);
      }
    }
    Map<String, Double> out = new TreeMap<>();
    byScorer.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
    return out;
  }

  /** Share of simulated votes disagreeing with the population's true preference. */
  public double labelNoise() {
    Gauge g = registry.find("prefstream.feeder.label.noise").gauge();
    return g == null ? Double.NaN : g.value();
  }

  /** When the demo first showed a version better than the base (its interval above 0.5), if it did. */
  public String firstBetter(List<VersionEval> results) {
    for (VersionEval e : results) {
      WinRate w = e.metrics().get(DemoReport.HEADLINE_METRIC);
      if (w != null && w.low() > 0.5) {
        long s = Math.max(0, Duration.between(startedAt, e.finishedAt()).toSeconds());
        return String.format(Locale.ROOT, "First version better than the base: v%d (step %d), shown %d:%02d after the start.",
            e.version(), e.step(), s / 60, s % 60);
      }
    }
    return "No version's interval lay above 0.5 in this run.";
  }

  /** The closing lines: counts, and the last version's win rate over the base with its interval. */
  public void printSummary(VersionEvaluator evaluator) {
    List<VersionEval> results = evaluator.results();
    // the line as of the last snapshot, with the evaluations finished since (the evaluator has drained)
    System.out.println("Final: " + (timeline.isEmpty() ? lastLine : line(timeline.get(timeline.size() - 1), evaluator)));
    if (results.isEmpty()) {
      System.out.println("No version was evaluated (run longer, or lower trainer.steps-per-version).");
      return;
    }
    VersionEval last = results.get(results.size() - 1);
    System.out.println(DemoReport.headline(results));
    System.out.println(firstBetter(results));
    System.out.printf(Locale.ROOT, "v%d (step %d) against the base on held-out prompts:%n", last.version(), last.step());
    last.metrics().forEach((m, w) -> System.out.printf(Locale.ROOT, "  %-20s win rate %.3f  95%% CI [%.3f, %.3f]  ties %.3f%n",
        m, w.rate(), w.low(), w.high(), w.ties()));
  }
}
