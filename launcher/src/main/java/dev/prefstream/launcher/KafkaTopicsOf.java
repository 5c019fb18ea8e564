package dev.prefstream.launcher;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.schemas.Topics;

/** The topic catalogue named by a configuration ({@code topics.prefix}, {@code topics.partitions}). */
record KafkaTopicsOf(PrefstreamConfig config) {
  Topics topics() {
    return new Topics(config.string("topics.prefix", Topics.DEFAULT_PREFIX),
        config.integer("topics.partitions", Topics.DEFAULT_PARTITIONS));
  }
}
