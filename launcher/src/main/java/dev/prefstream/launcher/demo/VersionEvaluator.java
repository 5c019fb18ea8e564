package dev.prefstream.launcher.demo;

import dev.prefstream.core.model.ModelStore;
import dev.prefstream.launcher.demo.DemoRecords.VersionEval;
import dev.prefstream.launcher.demo.DemoRecords.WinRate;
import dev.prefstream.sim.eval.CachedImageSource;
import dev.prefstream.sim.eval.EvaluationConfig;
import dev.prefstream.sim.eval.EvaluationResult;
import dev.prefstream.sim.eval.Evaluator;
import dev.prefstream.sim.eval.MetricResult;
import dev.prefstream.sim.eval.ModelImageSource;
import dev.prefstream.core.image.RgbImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the newest published version against the base (v0) whenever a new one appears, on its
 * own thread, one evaluation at a time (a version published while one runs is skipped if a newer one
 * follows). Results feed the live progress line and the report.
 */
public final class VersionEvaluator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VersionEvaluator.class);

  private final ModelStore models;
  private final String model;
  private final EvaluationConfig config;
  private final int ddimSteps;
  private final float guidance;
  private final List<VersionEval> results = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile List<RgbImage> baseSamples = List.of();
  private volatile int evaluating = -1;
  private volatile int lastAttempted;
  private final ModelImageSource baseModel;
  /** The base's images, sampled once (first thing on the evaluator's thread) for every evaluation. */
  private final CachedImageSource base;

  public VersionEvaluator(ModelStore models, String model, EvaluationConfig config, int ddimSteps, float guidance) {
    this.models = models;
    this.model = model;
    this.config = config.keepingImages();
    this.ddimSteps = ddimSteps;
    this.guidance = guidance;
    this.baseModel = ModelImageSource.fromStore(models, model, 0, ddimSteps, guidance);
    this.base = new CachedImageSource(baseModel);
    this.thread = new Thread(this::run, "demo-evaluator");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public List<VersionEval> results() {
    return List.copyOf(results);
  }

  public List<RgbImage> baseSamples() {
    return baseSamples;
  }

  /** The version being evaluated now, or -1. */
  public int evaluating() {
    return evaluating;
  }


  private void run() {
    // the base's images now, while the trainer waits for its first pairs, not beside the first evaluation
    long start = System.nanoTime();
    try {
      new Evaluator(config).images(base);
      LOG.info("base images for the evaluations sampled in {} ms: {}", (System.nanoTime() - start) / 1_000_000,
          base.size());
    } catch (RuntimeException e) {
      LOG.warn("sampling the base's images failed (each evaluation will try): {}", e.toString());
    }
    while (running.get()) {
      int latest = models.latestVersion(model).orElse(0);
      if (latest > lastAttempted) {
        evaluate(latest);
      } else {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Stops watching, waits for an evaluation under way to finish, then evaluates the newest version
   * on the caller's thread unless it has been already, so the report covers the last version.
   */
  public void finish() {
    running.set(false);
    try {
      thread.join(Duration.ofMinutes(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    int latest = models.latestVersion(model).orElse(0);
    if (latest > lastAttempted) {
      evaluate(latest);
    }
  }

  private synchronized void evaluate(int version) {
    if (version <= lastAttempted) {
      return;
    }
    evaluating = version;
    lastAttempted = version;
    try (ModelImageSource candidate = ModelImageSource.fromStore(models, model, version, ddimSteps, guidance)) {
      EvaluationResult r = new Evaluator(config).evaluate(candidate, base);
      Map<String, WinRate> metrics = new LinkedHashMap<>();
      for (MetricResult m : r.metrics()) {
        metrics.put(m.metric(), new WinRate(m.winRate(), m.ciLow(), m.ciHigh(), m.tieRate()));
      }
      int shown = Math.min(12, r.samples().size());
      List<RgbImage> samples = new ArrayList<>();
      List<RgbImage> base0 = new ArrayList<>();
      List<String> prompts = new ArrayList<>();
      for (int i = 0; i < shown; i++) {
        samples.add(r.samples().get(i).candidate());
        base0.add(r.samples().get(i).base());
        prompts.add(r.samples().get(i).prompt().text());
      }
      baseSamples = base0;
      long step = models.version(model, version).manifest().step();
      results.add(new VersionEval(version, step, metrics, samples, prompts, java.time.Instant.now()));
      MetricResult overall = r.metric("oracle.overall");
      LOG.info("v{} (step {}) vs base: oracle win rate {} [{}, {}]", version, step, fmt(overall.winRate()),
          fmt(overall.ciLow()), fmt(overall.ciHigh()));
    } catch (RuntimeException e) {
      LOG.warn("evaluation of v{} failed: {}", version, e.toString());
    } finally {
      evaluating = -1;
    }
  }

  static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.2f", v);
  }

  @Override
  public void close() {
    running.set(false);
    thread.interrupt();
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    baseModel.close();
  }
}
