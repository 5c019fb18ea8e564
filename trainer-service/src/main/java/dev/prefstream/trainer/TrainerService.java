package dev.prefstream.trainer;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.core.service.Heartbeat;
import dev.prefstream.core.service.Service;
import dev.prefstream.trainer.TrainerStatus.State;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous Diffusion-DPO training on the labelled-pair feeds (DESIGN.md, "Training and
 * relabelling"). One thread consumes the feed topics with read_committed, keeps the replay buffer,
 * trains, checkpoints every {@code trainer.checkpoint-every} steps, and every
 * {@code trainer.steps-per-version} steps evaluates on the held-out pairs and publishes a version
 * (files and manifest in the model store first, then a {@code ModelVersion} record). Killed at any
 * moment, it resumes from the newest checkpoint: the buffer is rebuilt from the compacted feeds up to
 * the checkpoint's offsets before training goes on, and version numbers continue from the store.
 *
 * <p>{@link #close()} stops the loop (a consumer wakeup) and saves a final checkpoint. Ready once the
 * model is loaded and the feeds are being read; not live once the loop has failed.
 */
public final class TrainerService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

  private final TrainerConfig config;
  private final KafkaClients clients;
  private final ModelStore store;
  private final ImageStore images;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private final CountDownLatch ready = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Heartbeat heartbeat = new Heartbeat();
  private volatile TrainerLoop loop;
  private volatile TrainerStatus status = TrainerStatus.starting();
  private volatile Map<String, Long> resumedOffsets = Map.of();
  private volatile boolean failed;
  private volatile boolean crashed;
  private volatile long crashAfterStep = Long.MAX_VALUE;
  private Thread thread;

  public TrainerService(TrainerConfig config, KafkaClients clients, ModelStore store, ImageStore images) {
    this.config = config;
    this.clients = clients;
    this.store = store;
    this.images = images;
  }

  /** The trainer as the launcher runs it: settings, model store and image store from {@code config}. */
  public static TrainerService create(PrefstreamConfig config, KafkaClients clients) {
    TrainerConfig trainer = TrainerConfig.from(config);
    return new TrainerService(trainer, clients, new ModelStore(trainer.modelStoreRoot()), new ImageStore(trainer.images()));
  }

  public TrainerConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "trainer";
  }

  @Override
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the trainer was started already");
    }
    running.set(true);
    thread = new Thread(this::run, "trainer-" + config.model());
    thread.start();
  }

  private void run() {
    try (TrainerLoop opened = new TrainerLoop(config, clients, store, images, this::observe)) {
      loop = opened;
      resumedOffsets = opened.resumedOffsets();
      if (!running.get()) {
        return;
      }
      ready.countDown();
      opened.run(running);
      if (!crashed) {
        opened.checkpointOnExit();
      }
      status = opened.status().with(opened.status().state() == State.FINISHED ? State.FINISHED : State.STOPPED);
    } catch (RuntimeException | Error e) {
      failed = true;
      status = status.with(State.FAILED);
      LOG.error("trainer {} failed", config.model(), e);
    } finally {
      heartbeat.stop();
      running.set(false);
      loop = null;
      ended.countDown();
    }
  }

  @Override
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && !failed) {
      if (ready.await(50, TimeUnit.MILLISECONDS)) {
        return !failed;
      }
    }
    return isReady();
  }

  @Override
  public boolean finished() {
    return status.state() == State.FINISHED;
  }

  @Override
  public boolean isReady() {
    return ready.getCount() == 0 && running.get() && !failed;
  }

  @Override
  public boolean isLive() {
    return !failed;
  }

  /** A snapshot for progress displays. */
  public TrainerStatus status() {
    return status;
  }

  /** The offsets of the checkpoint this run resumed from ({@code topic-partition} to next offset); empty if none. */
  public Map<String, Long> resumedOffsets() {
    return resumedOffsets;
  }

  /** Waits until the training loop has ended (max steps reached, failed, or closed). */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the loop and saves a final checkpoint; idempotent. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Stops like a killed process would (no final checkpoint) right after the given step, on the
   * training thread, so a crash-recovery test places the crash between two checkpoints
   * deterministically; call before {@link #start()}.
   */
  void crashAfterStep(long step) {
    crashAfterStep = step;
  }

  /**
   * Silent time of the training loop, which goes round once per step or idle poll; zero while the
   * session opens (the model loaded and its kernels checked), before the first round.
   */
  @Override
  public Duration stalledFor() {
    return heartbeat.silentFor();
  }

  private void observe(TrainerStatus s) {
    heartbeat.beat();
    status = s;
    if (s.step() >= crashAfterStep) {
      crashed = true;
      running.set(false);
    }
  }

  private void stop() {
    running.set(false);
    TrainerLoop current = loop;
    if (current != null) {
      current.wakeup();
    }
    if (thread != null && thread != Thread.currentThread()) {
      try {
        if (!ended.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("trainer {} did not stop within {}", config.model(), STOP_TIMEOUT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
