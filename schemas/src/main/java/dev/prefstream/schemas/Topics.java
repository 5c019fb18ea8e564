package dev.prefstream.schemas;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.ModelVersion;
import dev.prefstream.avro.PairLabel;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.PseudoLabel;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.schemas.Topic.CleanupPolicy;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed topic catalogue of DESIGN.md's topic contract. Keys are pair ids (String) unless noted.
 * One instance per prefix, e.g. {@code new Topics("prefs.", 6)}.
 */
public final class Topics {
  public static final String DEFAULT_PREFIX = "prefs.";
  public static final int DEFAULT_PARTITIONS = 6;

  private final Topic<byte[], byte[]> votesJson;
  private final Topic<String, PreferenceVote> votes;
  private final Topic<String, ScoredPair> scored;
  private final Topic<String, PairLabel> labels;
  private final Topic<String, LabeledPair> clean;
  private final Topic<String, LabeledPair> conflicting;
  private final Topic<String, PseudoLabel> pseudoLabels;
  private final Topic<String, LabeledPair> relabeled;
  private final Topic<String, ModelVersion> modelVersions;
  private final Topic<byte[], DeadLetter> dlq;
  private final String prefix;

  public Topics(String prefix, int partitions) {
    this.prefix = prefix;
    Serde<String> key = Serdes.String();
    AvroSerde<LabeledPair> labeled = AvroSerde.of(LabeledPair.class);
    votesJson = new Topic<>(prefix + "votes.json", Serdes.ByteArray(), Serdes.ByteArray(), partitions,
        CleanupPolicy.DELETE, "votes as JSON for clients without Avro; any key");
    votes = new Topic<>(prefix + "votes", key, AvroSerde.of(PreferenceVote.class), partitions,
        CleanupPolicy.DELETE, "validated votes");
    scored = new Topic<>(prefix + "scored", key, AvroSerde.of(ScoredPair.class), partitions,
        CleanupPolicy.DELETE, "votes with every scorer's scores of both images");
    labels = new Topic<>(prefix + "labels", key, AvroSerde.of(PairLabel.class), partitions,
        CleanupPolicy.COMPACT, "the current decision per pair, with provenance");
    clean = new Topic<>(prefix + "clean", key, labeled, partitions,
        CleanupPolicy.COMPACT, "pairs whose consensus agrees with the human label");
    conflicting = new Topic<>(prefix + "conflicting", key, labeled, partitions,
        CleanupPolicy.COMPACT, "pairs whose consensus disagrees with the human label");
    pseudoLabels = new Topic<>(prefix + "pseudo-labels", key, AvroSerde.of(PseudoLabel.class), partitions,
        CleanupPolicy.COMPACT, "per-anchor labels from one model version");
    relabeled = new Topic<>(prefix + "relabeled", key, labeled, partitions,
        CleanupPolicy.COMPACT, "conflicting pairs relabelled by a model version");
    modelVersions = new Topic<>(prefix + "model-versions", key, AvroSerde.of(ModelVersion.class), 1,
        CleanupPolicy.COMPACT, "published model versions; key: model name");
    dlq = new Topic<>(prefix + "dlq", Serdes.ByteArray(), AvroSerde.of(DeadLetter.class), partitions,
        CleanupPolicy.DELETE, "records a stage could not handle, with provenance; key: the original key");
  }

  public static Topics defaults() {
    return new Topics(DEFAULT_PREFIX, DEFAULT_PARTITIONS);
  }

  public String prefix() {
    return prefix;
  }

  public Topic<byte[], byte[]> votesJson() {
    return votesJson;
  }

  public Topic<String, PreferenceVote> votes() {
    return votes;
  }

  public Topic<String, ScoredPair> scored() {
    return scored;
  }

  public Topic<String, PairLabel> labels() {
    return labels;
  }

  public Topic<String, LabeledPair> clean() {
    return clean;
  }

  public Topic<String, LabeledPair> conflicting() {
    return conflicting;
  }

  public Topic<String, PseudoLabel> pseudoLabels() {
    return pseudoLabels;
  }

  public Topic<String, LabeledPair> relabeled() {
    return relabeled;
  }

  public Topic<String, ModelVersion> modelVersions() {
    return modelVersions;
  }

  public Topic<byte[], DeadLetter> dlq() {
    return dlq;
  }

  public List<Topic<?, ?>> all() {
    return List.of(votesJson, votes, scored, labels, clean, conflicting, pseudoLabels, relabeled, modelVersions, dlq);
  }
}
