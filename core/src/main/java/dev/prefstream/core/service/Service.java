package dev.prefstream.core.service;

import java.time.Duration;

/**
 * What every prefstream service implements; the launcher and the tests drive services through it.
 * Readiness is true only when the service does its work; liveness is false only when it has failed
 * for good (a service restoring state is live but not ready). {@link Health} adds what a service
 * cannot see from inside: brokers that do not answer, and a loop that stopped going round.
 */
public interface Service extends AutoCloseable {
  String name();

  /** Starts the service's threads and returns without waiting for readiness. */
  void start();

  /** Waits until ready; false when the time ran out or the service failed. */
  boolean awaitReady(Duration timeout) throws InterruptedException;

  boolean isReady();

  boolean isLive();

  /**
   * How long the service's work loop has been silent (see {@link Heartbeat}); zero when it has no loop,
   * has not started or has ended on purpose.
   */
  default Duration stalledFor() {
    return Duration.ZERO;
  }

  /** True once a service with bounded work (e.g. a trainer with a step limit) has completed it. */
  default boolean finished() {
    return false;
  }

  /** Stops the service and releases everything it holds; idempotent. */
  @Override
  void close();
}
