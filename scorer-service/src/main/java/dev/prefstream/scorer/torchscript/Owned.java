package dev.prefstream.scorer.torchscript;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * Native resources (models, predictors, a tokenizer) made one after another and closed together,
 * the newest first. {@link #making} closes those already made when a later one fails, so a
 * half-made scorer or factory leaks nothing.
 */
final class Owned implements AutoCloseable {
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  /** Takes {@code resource} into ownership and returns it. */
  <T extends AutoCloseable> T add(T resource) {
    resources.push(resource);
    return resource;
  }

  /** Closes every resource, the newest first, even when one fails; then throws the first failure. */
  @Override
  public void close() {
    RuntimeException failure = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** What {@code make} makes, owning what it adds; if it throws, what it added is closed. */
  static <T> T making(Function<Owned, T> make) {
    Owned owned = new Owned();
    try {
      return make.apply(owned);
    } catch (RuntimeException | Error e) {
      try {
        owned.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }
}
