package dev.prefstream.labeler;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.labeler.voting.PolicyName;
import dev.prefstream.labeler.voting.Tolerance;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The labeler's own settings, immutable. Built from flat string properties (defaults in code, then
 * whatever layers the caller merged: file, environment, flags); every key is documented on its
 * constant and in labeler-streams/README.md.
 */
public final class LabelerConfig {
  /** Streams application id, also the consumer group and the metrics tag. */
  public static final String APPLICATION_ID = "labeler.application-id";
  /** Voting policy: unanimous | majority | weighted. */
  public static final String POLICY = "labeler.policy";
  /** Which label a pair trains on: human | majority. */
  public static final String LABEL_POLICY = "labeler.label-policy";
  /** Minimum distinct human voters before a pair is routed. */
  public static final String QUORUM = "labeler.quorum";
  /** Comma-separated scorers every scored pair must carry; empty: whatever scorers a record has. */
  public static final String SCORERS = "labeler.scorers";
  /** Default absolute tie tolerance on scoreA - scoreB. */
  public static final String TOLERANCE_ABSOLUTE = "labeler.tolerance.absolute";
  /** Default relative tie tolerance, times max(|scoreA|, |scoreB|), added to the absolute one. */
  public static final String TOLERANCE_RELATIVE = "labeler.tolerance.relative";
  /** Per-scorer overrides: {@code labeler.scorer.<name>.tolerance.absolute|relative}. */
  public static final String SCORER_PREFIX = "labeler.scorer.";
  /** Share of clean pairs held out for evaluation, chosen by a hash of the pair id. */
  public static final String HOLDOUT_SHARE = "labeler.holdout-share";
  /** How long a vote id is remembered by the ingest de-duplication (ISO-8601 or 24h, 30s, 500ms). */
  public static final String DEDUP_RETENTION = "labeler.dedup-retention";
  /** Weighted policy: the human label's weight in log-odds units. */
  public static final String HUMAN_WEIGHT = "labeler.weighted.human-weight";
  /** Weighted policy: decided votes a scorer needs before its measured weight replaces 1.0. */
  public static final String MIN_OBSERVATIONS = "labeler.weighted.min-observations";
  /** Streams commit interval in milliseconds. */
  public static final String COMMIT_INTERVAL_MS = "labeler.commit-interval-ms";
  /** Streams record cache for all state stores, bytes. */
  public static final String CACHE_MAX_BYTES = "labeler.cache-max-bytes";
  /** Kafka Streams state directory (not a temp folder: state survives restarts). */
  public static final String STATE_DIR = "labeler.state-dir";
  /** How long {@code start()} waits for the topics to exist. */
  public static final String TOPICS_WAIT = "labeler.topics-wait";
  /** Where the pair store keeps its data: {@code rocksdb} (on disk) or {@code in-memory}. */
  public static final String PAIR_STORE = "labeler.pair-store";
  /** How long a pseudo-label for a pair without votes waits for them before it is a dead letter. */
  public static final String PSEUDO_LABEL_WAIT = "labeler.pseudo-label-wait";
  /** Stream threads. */
  public static final String THREADS = "labeler.threads";
  /** Any {@code labeler.streams.<key>} is passed to Kafka Streams as {@code <key>}. */
  public static final String STREAMS_PREFIX = "labeler.streams.";

  private static final Map<String, String> DEFAULTS = Map.ofEntries(
      Map.entry(APPLICATION_ID, "prefstream-labeler"),
      Map.entry(POLICY, "majority"),
      Map.entry(LABEL_POLICY, "human"),
      Map.entry(QUORUM, "1"),
      Map.entry(SCORERS, ""),
      Map.entry(TOLERANCE_ABSOLUTE, "1e-6"),
      Map.entry(TOLERANCE_RELATIVE, "0"),
      Map.entry(HOLDOUT_SHARE, "0.02"),
      Map.entry(DEDUP_RETENTION, "PT24H"),
      Map.entry(HUMAN_WEIGHT, "1.0"),
      Map.entry(MIN_OBSERVATIONS, "20"),
      Map.entry(COMMIT_INTERVAL_MS, "1000"),
      Map.entry(CACHE_MAX_BYTES, String.valueOf(64L << 20)),
      Map.entry(STATE_DIR, "state/labeler"),
      Map.entry(TOPICS_WAIT, "PT60S"),
      Map.entry(PSEUDO_LABEL_WAIT, "PT1H"),
      Map.entry(PAIR_STORE, "rocksdb"),
      Map.entry(THREADS, "1"));

  /** Where the pair store keeps its data. */
  public enum PairStore { ROCKSDB, IN_MEMORY }

  /** Which label a routed pair trains on. */
  public enum LabelPolicy { HUMAN, MAJORITY }

  private final String applicationId;
  private final PolicyName policy;
  private final LabelPolicy labelPolicy;
  private final int quorum;
  private final List<String> scorers;
  private final Tolerance defaultTolerance;
  private final Map<String, Tolerance> tolerances;
  private final double holdoutShare;
  private final Duration dedupRetention;
  private final double humanWeight;
  private final long minObservations;
  private final long commitIntervalMs;
  private final long cacheMaxBytes;
  private final int threads;
  private final String stateDir;
  private final Duration topicsWait;
  private final Duration pseudoLabelWait;
  private final PairStore pairStore;
  private final Map<String, String> streamsOverrides;

  private LabelerConfig(Map<String, String> p) {
    applicationId = p.get(APPLICATION_ID);
    policy = PolicyName.parse(p.get(POLICY));
    labelPolicy = LabelPolicy.valueOf(p.get(LABEL_POLICY).trim().toUpperCase(Locale.ROOT));
    quorum = positive(QUORUM, Integer.parseInt(p.get(QUORUM).trim()));
    scorers = Arrays.stream(p.get(SCORERS).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    defaultTolerance = new Tolerance(num(p, TOLERANCE_ABSOLUTE), num(p, TOLERANCE_RELATIVE));
    Map<String, Tolerance> t = new HashMap<>();
    for (String k : p.keySet()) {
      int at = k.indexOf(".tolerance.");
      if (k.startsWith(SCORER_PREFIX) && at > SCORER_PREFIX.length()) {
        String name = k.substring(SCORER_PREFIX.length(), at);
        String prefix = SCORER_PREFIX + name + ".tolerance.";
        t.put(name, new Tolerance(
            num(p, p.containsKey(prefix + "absolute") ? prefix + "absolute" : TOLERANCE_ABSOLUTE),
            num(p, p.containsKey(prefix + "relative") ? prefix + "relative" : TOLERANCE_RELATIVE)));
      }
    }
    tolerances = Map.copyOf(t);
    holdoutShare = num(p, HOLDOUT_SHARE);
    if (holdoutShare < 0 || holdoutShare > 1) {
      throw new IllegalArgumentException(HOLDOUT_SHARE + " must be in [0, 1], got " + holdoutShare);
    }
    dedupRetention = PrefstreamConfig.parseDuration(p.get(DEDUP_RETENTION));
    humanWeight = num(p, HUMAN_WEIGHT);
    minObservations = Long.parseLong(p.get(MIN_OBSERVATIONS).trim());
    commitIntervalMs = positive(COMMIT_INTERVAL_MS, Long.parseLong(p.get(COMMIT_INTERVAL_MS).trim()));
    cacheMaxBytes = Long.parseLong(p.get(CACHE_MAX_BYTES).trim());
    threads = positive(THREADS, Integer.parseInt(p.get(THREADS).trim()));
    stateDir = p.get(STATE_DIR).trim();
    topicsWait = PrefstreamConfig.parseDuration(p.get(TOPICS_WAIT));
    pseudoLabelWait = PrefstreamConfig.parseDuration(p.get(PSEUDO_LABEL_WAIT));
    pairStore = switch (p.get(PAIR_STORE).strip().toLowerCase(Locale.ROOT)) {
      case "rocksdb" -> PairStore.ROCKSDB;
      case "in-memory" -> PairStore.IN_MEMORY;
      default -> throw new IllegalArgumentException(PAIR_STORE + " must be rocksdb or in-memory, got '"
          + p.get(PAIR_STORE) + "'");
    };
    if (pseudoLabelWait.isNegative() || pseudoLabelWait.isZero()) {
      throw new IllegalArgumentException(PSEUDO_LABEL_WAIT + " must be positive, got " + p.get(PSEUDO_LABEL_WAIT));
    }
    Map<String, String> s = new LinkedHashMap<>();
    p.forEach((k, v) -> {
      if (k.startsWith(STREAMS_PREFIX)) {
        s.put(k.substring(STREAMS_PREFIX.length()), v);
      }
    });
    streamsOverrides = Map.copyOf(s);
  }

  /** Defaults overlaid with {@code properties} (keys not starting with {@code labeler.} are ignored). */
  public static LabelerConfig from(Map<String, String> properties) {
    Map<String, String> merged = new HashMap<>(DEFAULTS);
    properties.forEach((k, v) -> {
      if (k.startsWith("labeler.")) {
        merged.put(k, Objects.requireNonNull(v, k));
      }
    });
    return new LabelerConfig(merged);
  }

  public static LabelerConfig defaults() {
    return from(Map.of());
  }

  public String applicationId() {
    return applicationId;
  }

  public PolicyName policy() {
    return policy;
  }

  public LabelPolicy labelPolicy() {
    return labelPolicy;
  }

  public int quorum() {
    return quorum;
  }

  /** Scorers every record must carry (empty: none required). */
  public List<String> scorers() {
    return scorers;
  }

  public Tolerance tolerance(String scorer) {
    return tolerances.getOrDefault(scorer, defaultTolerance);
  }

  public double holdoutShare() {
    return holdoutShare;
  }

  public Duration dedupRetention() {
    return dedupRetention;
  }

  public double humanWeight() {
    return humanWeight;
  }

  public long minObservations() {
    return minObservations;
  }

  public long commitIntervalMs() {
    return commitIntervalMs;
  }

  public long cacheMaxBytes() {
    return cacheMaxBytes;
  }

  public int threads() {
    return threads;
  }

  public String stateDir() {
    return stateDir;
  }

  public Duration topicsWait() {
    return topicsWait;
  }

  public PairStore pairStore() {
    return pairStore;
  }

  public Duration pseudoLabelWait() {
    return pseudoLabelWait;
  }

  /** Raw Kafka Streams settings given as {@code labeler.streams.<key>}. */
  public Map<String, String> streamsOverrides() {
    return streamsOverrides;
  }

  @Override
  public String toString() {
    return "LabelerConfig{applicationId=" + applicationId + ", policy=" + policy + ", labelPolicy=" + labelPolicy
        + ", quorum=" + quorum + ", scorers=" + scorers + ", tolerance=" + defaultTolerance + ", tolerances="
        + tolerances + ", holdoutShare=" + holdoutShare + ", dedupRetention=" + dedupRetention + ", humanWeight="
        + humanWeight + ", minObservations=" + minObservations + ", commitIntervalMs=" + commitIntervalMs
        + ", cacheMaxBytes=" + cacheMaxBytes + ", threads=" + threads + ", stateDir=" + stateDir + ", topicsWait="
        + topicsWait + ", pseudoLabelWait=" + pseudoLabelWait + ", pairStore=" + pairStore + ", streams=" + streamsOverrides.keySet() + "}";
  }

  private static double num(Map<String, String> p, String key) {
    try {
      return Double.parseDouble(p.get(key).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + p.get(key) + "'", e);
    }
  }

  private static <N extends Number> N positive(String key, N n) {
    if (n.longValue() < 1) {
      throw new IllegalArgumentException(key + " must be at least 1, got " + n);
    }
    return n;
  }
}
