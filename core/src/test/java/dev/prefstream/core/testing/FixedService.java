package dev.prefstream.core.testing;

import dev.prefstream.core.service.Service;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** A service whose answers the test sets: ready, live, how long its loop has been silent, what close does. */
public final class FixedService implements Service {
  public final AtomicBoolean ready = new AtomicBoolean(true);
  public final AtomicBoolean live = new AtomicBoolean(true);
  private final String name;
  private final Supplier<Duration> stalled;
  private final Runnable onClose;

  /** Ready, live, never stalled; close does nothing. */
  public FixedService(String name) {
    this(name, () -> Duration.ZERO, () -> {});
  }

  public FixedService(String name, Supplier<Duration> stalled, Runnable onClose) {
    this.name = name;
    this.stalled = stalled;
    this.onClose = onClose;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start() {}

  @Override
  public boolean awaitReady(Duration timeout) {
    return ready.get();
  }

  @Override
  public boolean isReady() {
    return ready.get();
  }

  @Override
  public boolean isLive() {
    return live.get();
  }

  @Override
  public Duration stalledFor() {
    return stalled.get();
  }

  @Override
  public void close() {
    onClose.run();
  }
}
