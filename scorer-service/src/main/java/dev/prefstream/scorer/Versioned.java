package dev.prefstream.scorer;

import java.util.Objects;

/**
 * A name and the version of what it names: the pair that identifies a scorer's scores (see
 * {@link Scorer#version()}), kept once for the scorers and scorer factories that extend this.
 */
public abstract class Versioned {
  private final String name;
  private final String version;

  /** Both are part of every cache key and published score, so neither may be null. */
  protected Versioned(String name, String version) {
    this.name = Objects.requireNonNull(name, "name");
    this.version = Objects.requireNonNull(version, "version");
  }

  public final String name() {
    return name;
  }

  public final String version() {
    return version;
  }
}
