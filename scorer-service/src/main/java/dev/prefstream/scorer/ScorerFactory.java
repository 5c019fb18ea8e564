package dev.prefstream.scorer;

/**
 * Makes {@link Scorer} instances of one configured kind, one per worker thread. A factory is
 * thread-safe and owns what its scorers share (loaded models, verified files); closing it releases
 * those, so close every scorer it created first.
 */
public interface ScorerFactory extends AutoCloseable {

  /** The name of the scorers this factory creates. */
  String name();

  /** The version of the scorers this factory creates. */
  String version();

  /** A new scorer for the calling thread. */
  Scorer create();

  @Override
  default void close() {}
}
