package dev.prefstream.trainer;

/**
 * A snapshot of the trainer for a live progress display: what it is doing, the optimizer step, the
 * training loss and implicit accuracy (exponential moving averages over about the last 20 steps: a
 * single batch of 8 pairs is too noisy to read), the newest published version (-1 before any) and
 * the held-out implicit accuracy it was published with, the replay buffer and holdout sizes, the
 * pairs consumed from the feeds so far and the training throughput.
 */
public record TrainerStatus(State state, long step, double loss, double implicitAccuracy, int version,
    double holdoutAccuracy, int bufferSize, int holdoutSize, long pairsConsumed, double pairsPerSecond) {

  /** What the trainer is doing. */
  public enum State {
    /** loading the model and the checkpoint */
    STARTING,
    /** re-reading the feeds up to the checkpoint's offsets before training again */
    REBUILDING,
    /** fewer pairs in the buffer than {@code trainer.buffer.min} */
    WAITING_FOR_PAIRS,
    TRAINING,
    /** reached {@code trainer.max-steps} */
    FINISHED,
    STOPPED,
    FAILED
  }

  static TrainerStatus starting() {
    return new TrainerStatus(State.STARTING, 0, Double.NaN, Double.NaN, -1, Double.NaN, 0, 0, 0, 0);
  }

  TrainerStatus with(State newState) {
    return new TrainerStatus(newState, step, loss, implicitAccuracy, version, holdoutAccuracy, bufferSize, holdoutSize,
        pairsConsumed, pairsPerSecond);
  }
}
