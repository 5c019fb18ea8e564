package dev.prefstream.schemas;

import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the catalogue: its full name, key and value serdes, partition count and cleanup
 * policy. Code asks the {@link Topics} catalogue for a Topic; it never spells a topic name.
 */
public record Topic<K, V>(
    String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, CleanupPolicy cleanup, String description) {

  /** Kafka's {@code cleanup.policy}. */
  public enum CleanupPolicy {
    DELETE("delete"),
    COMPACT("compact");

    private final String config;

    CleanupPolicy(String config) {
      this.config = config;
    }

    public String config() {
      return config;
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
