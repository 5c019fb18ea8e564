package dev.prefstream.diffusion.train;

/**
 * When and how the reference network follows the policy (METHOD.md section 2, dynamic reference
 * update): never, a hard copy every N optimizer steps, or a soft update
 * ref <- alpha * policy + (1 - alpha) * ref every N steps. A per-version replacement is an explicit
 * {@link DpoTrainer#replaceReference()} call and needs no schedule.
 */
public record ReferenceUpdate(Strategy strategy, int everySteps, float alpha) {

  /** The kinds of scheduled update. */
  public enum Strategy {
    NONE,
    HARD,
    SOFT
  }

  public ReferenceUpdate {
    if (strategy != Strategy.NONE && everySteps <= 0) {
      throw new IllegalArgumentException("everySteps must be positive: " + everySteps);
    }
    if (strategy == Strategy.SOFT && !(alpha > 0f && alpha <= 1f)) {
      throw new IllegalArgumentException("alpha must be in (0, 1]: " + alpha);
    }
  }

  public static ReferenceUpdate none() {
    return new ReferenceUpdate(Strategy.NONE, 0, 0f);
  }

  public static ReferenceUpdate hardCopyEvery(int steps) {
    return new ReferenceUpdate(Strategy.HARD, steps, 1f);
  }

  /** TRL's TR-DPO uses alpha 0.6 every 512 steps. */
  public static ReferenceUpdate softUpdateEvery(int steps, float alpha) {
    return new ReferenceUpdate(Strategy.SOFT, steps, alpha);
  }

  /** Whether an update is due after optimizer step {@code step} (counted from 1). */
  boolean dueAfter(long step) {
    return strategy != Strategy.NONE && step % everySteps == 0;
  }
}
