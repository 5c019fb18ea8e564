package dev.prefstream.trainer;

import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.train.DpoStepResult;
import java.util.Map;

/**
 * The trainer without Kafka: the service's own {@link TrainingSession} (policy, reference, DPO step,
 * seeded batch sampler, checkpoints, versions in the model store) and {@link ReplayBuffer}, fed by the
 * caller instead of the label topics. Experiments replay a fixed set of labelled pairs through it, so
 * what they measure is what the service does. Like the service, it resumes from the newest checkpoint
 * in the store; the caller puts the same pairs back in the same order, as the service re-reads its
 * topics, and training continues exactly where it stopped. Not thread-safe.
 */
public final class OfflineTraining implements AutoCloseable {
  private final TrainingSession session;
  private final ReplayBuffer buffer;

  private OfflineTraining(TrainingSession session, ReplayBuffer buffer) {
    this.session = session;
    this.buffer = buffer;
  }

  /** Opens {@code config.model()} in {@code store}: the newest checkpoint, else the newest version. */
  public static OfflineTraining open(TrainerConfig config, ModelStore store) {
    return new OfflineTraining(TrainingSession.open(config, store),
        new ReplayBuffer(config.bufferCapacity(), config.holdoutCapacity()));
  }

  /** Whether the session resumed from a checkpoint rather than starting at a version. */
  public boolean resumed() {
    return session.origin() == TrainingSession.Origin.CHECKPOINT;
  }

  /** Adds a labelled pair (winner first) for training, or to the held-out set the metrics use. */
  public void put(TrainingPair pair, boolean heldOut) {
    buffer.put(pair, heldOut);
  }

  public int imageSize() {
    return session.imageSize();
  }

  /** Optimizer steps taken, checkpoints included. */
  public long steps() {
    return session.step();
  }

  /** One DPO step on a batch the session's sampler draws from the buffer. */
  public DpoStepResult step() {
    if (buffer.size() == 0) {
      throw new IllegalStateException("no training pairs in the buffer");
    }
    return session.step(buffer);
  }

  /** The implicit classifier's metrics on the held-out pairs (see {@link HoldoutEvaluator}). */
  public Map<String, Double> evaluateHoldout() {
    return session.evaluate(buffer.holdout());
  }

  /** Publishes the policy as the next version with {@code metrics}; returns its number. */
  public int publish(Map<String, Double> metrics) {
    return session.publishVersion(metrics, Map.of()).manifest().version();
  }

  /** Saves a checkpoint at the current step (a no-op if one exists for it). */
  public void checkpoint() {
    session.checkpoint(Map.of());
  }

  @Override
  public void close() {
    session.close();
  }
}
