package dev.prefstream.core.service;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a service's work loop last went round: the signal that tells a stuck service (a thread parked
 * in a call that never returns) from a busy or an idle one. The loop beats once per round, including
 * rounds that found no work (a poll that returns empty is progress), and long units of work beat as
 * they go. Thread-safe.
 */
public final class Heartbeat {
  private final LongSupplier nanoTime;
  private volatile long last;
  private volatile boolean beating;

  public Heartbeat() {
    this(System::nanoTime);
  }

  /** With a clock of nanoseconds, for tests. */
  public Heartbeat(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** The loop went round (or a unit of work advanced). */
  public void beat() {
    last = nanoTime.getAsLong();
    beating = true;
  }

  /** The loop ended on purpose (finished or closed): silent from now on, and that is not a stall. */
  public void stop() {
    beating = false;
  }

  /** Time since the last beat; zero before the first one and after {@link #stop()}. */
  public Duration silentFor() {
    if (!beating) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - last));
  }
}
