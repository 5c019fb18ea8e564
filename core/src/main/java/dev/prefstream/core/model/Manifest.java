package dev.prefstream.core.model;

import java.util.Map;

/**
 * What {@code manifest.json} records for a stored model version or checkpoint: lineage, the DPO
 * settings (beta and its convention, METHOD.md section 1), config, evaluation metrics, the Kafka
 * offsets consumed so far, and the SHA-256 of every file.
 *
 * @param kind {@code version} or {@code checkpoint}
 * @param offsets next offset to consume per {@code topic-partition}
 * @param files file name to lower-case hex SHA-256 (filled in by the store)
 */
public record Manifest(
    String model,
    String kind,
    int version,
    Integer parent,
    int referenceVersion,
    long step,
    double beta,
    String betaConvention,
    Map<String, String> config,
    Map<String, Double> metrics,
    Map<String, Long> offsets,
    Map<String, String> files,
    long createdAt) {

  public static final String VERSION = "version";
  public static final String CHECKPOINT = "checkpoint";

  public Manifest {
    config = Map.copyOf(config);
    metrics = Map.copyOf(metrics);
    offsets = Map.copyOf(offsets);
    files = Map.copyOf(files);
  }

  Manifest withFiles(Map<String, String> digests, long now) {
    return new Manifest(model, kind, version, parent, referenceVersion, step, beta, betaConvention, config, metrics,
        offsets, digests, now);
  }
}
