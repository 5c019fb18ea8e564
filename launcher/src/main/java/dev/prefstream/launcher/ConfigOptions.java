package dev.prefstream.launcher;

import dev.prefstream.core.config.PrefstreamConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The configuration flags every command shares; see {@link PrefstreamConfig} for the layering. */
public final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "Properties file (layered over the defaults).")
  Path file;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting, e.g. --set labeler.policy=majority (repeatable).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE} or KAFKA_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  /** Defaults, then the file, then the environment, then these flags. */
  public PrefstreamConfig load(Map<String, String> defaults) {
    Map<String, String> flags = new LinkedHashMap<>(settings);
    if (bootstrapServers != null) {
      flags.put("kafka.bootstrap.servers", bootstrapServers);
    }
    return PrefstreamConfig.load(defaults, file, System.getenv(), flags);
  }
}
