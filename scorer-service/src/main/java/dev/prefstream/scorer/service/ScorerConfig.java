package dev.prefstream.scorer.service;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The scoring service's settings, immutable, read from the {@code scorer.*} keys (and the image
 * store's {@code images.*} keys) of a {@link PrefstreamConfig}. Every key is a constant here with its
 * default in the javadoc; Kafka client settings come from {@code kafka.*} as for every service, and
 * {@code scorer.consumer.<key>} / {@code scorer.producer.<key>} override the service's tuned client
 * settings.
 *
 * @param scorers scorer specs, in order (see {@link dev.prefstream.scorer.ScorerSpec})
 * @param threads worker threads, each with its own consumer, transactional producer and scorers
 * @param maxBatchRecords records per poll, per scoring batch and per transaction
 * @param cacheCapacity scores kept by the shared LRU score cache; 0 turns the cache off
 * @param transactionalIdPrefix first part of every worker's transactional id
 * @param instanceId this process's stable identity; worker {@code w} uses the transactional id
 *     {@code <prefix>-<instance>-<w>}
 * @param groupId consumer group of all instances
 * @param pollTimeout longest wait of one poll
 * @param torchThreads intra-op threads of the PyTorch engine (TorchScript scorers)
 * @param images where images may be read from and the size limits
 * @param consumerOverrides client settings on top of the service's consumer settings
 * @param producerOverrides client settings on top of the service's producer settings
 */
public record ScorerConfig(List<String> scorers, int threads, int maxBatchRecords, int cacheCapacity,
    String transactionalIdPrefix, String instanceId, String groupId, Duration pollTimeout,
    int torchThreads, ImageStore.Settings images, Map<String, String> consumerOverrides,
    Map<String, String> producerOverrides) {

  /** Scorer specs, comma-separated; default: every built-in scorer. */
  public static final String SCORERS = "scorer.scorers";
  /** Worker threads; default 1. */
  public static final String THREADS = "scorer.threads";
  /** Records per poll, scoring batch and transaction; default 500. */
  public static final String MAX_BATCH_RECORDS = "scorer.max-batch-records";
  /** Score cache entries shared by the workers; default 100000, 0 turns caching off. */
  public static final String CACHE_CAPACITY = "scorer.cache-capacity";
  /** Transactional id prefix; default {@code prefstream-scorer}. */
  public static final String TRANSACTIONAL_ID_PREFIX = "scorer.transactional-id-prefix";
  /**
   * Stable instance identity (a StatefulSet ordinal, a host name); default: the {@code HOSTNAME}
   * environment variable, else the local host name. Two live instances must not share it: the
   * second fences the first.
   */
  public static final String INSTANCE_ID = "scorer.instance-id";
  /** Consumer group; default {@code prefstream-scorer}. */
  public static final String GROUP_ID = "scorer.group-id";
  /** Longest wait of one poll; default 500ms. */
  public static final String POLL_TIMEOUT = "scorer.poll-timeout";
  /**
   * PyTorch intra-op threads, applied as {@code ai.djl.pytorch.num_threads} before the engine loads
   * unless that system property is set (see {@link ProcessSettings}); default: available processors / worker threads, at least 1,
   * so workers do not oversubscribe the cores.
   */
  public static final String TORCH_THREADS = "scorer.torch-threads";
  /** Prefix of consumer setting overrides. */
  public static final String CONSUMER_PREFIX = "scorer.consumer.";
  /** Prefix of producer setting overrides. */
  public static final String PRODUCER_PREFIX = "scorer.producer.";

  /** Every built-in scorer. */
  public static final List<String> DEFAULT_SCORERS =
      List.of("detail", "colorfulness", "contrast", "color-match");
  /** Image root when {@code images.roots} is not set. */
  public static final Path DEFAULT_IMAGE_ROOT = Path.of("data");

  public ScorerConfig {
    scorers = List.copyOf(scorers);
    consumerOverrides = Map.copyOf(consumerOverrides);
    producerOverrides = Map.copyOf(producerOverrides);
    if (scorers.isEmpty()) {
      throw new IllegalArgumentException(SCORERS + " is empty");
    }
    positive(THREADS, threads);
    positive(MAX_BATCH_RECORDS, maxBatchRecords);
    positive(TORCH_THREADS, torchThreads);
    if (cacheCapacity < 0) {
      throw new IllegalArgumentException(CACHE_CAPACITY + " must be >= 0: " + cacheCapacity);
    }
    if (instanceId.isBlank() || transactionalIdPrefix.isBlank() || groupId.isBlank()) {
      throw new IllegalArgumentException(INSTANCE_ID + ", " + TRANSACTIONAL_ID_PREFIX + " and "
          + GROUP_ID + " must not be blank");
    }
  }

  /** Reads the settings, applying the documented defaults. */
  public static ScorerConfig from(PrefstreamConfig c) {
    int threads = c.integer(THREADS, 1);
    return new ScorerConfig(
        c.list(SCORERS, DEFAULT_SCORERS),
        threads,
        c.integer(MAX_BATCH_RECORDS, 500),
        c.integer(CACHE_CAPACITY, 100_000),
        c.string(TRANSACTIONAL_ID_PREFIX, "prefstream-scorer"),
        c.string(INSTANCE_ID, defaultInstanceId()),
        c.string(GROUP_ID, "prefstream-scorer"),
        c.duration(POLL_TIMEOUT, Duration.ofMillis(500)),
        c.integer(TORCH_THREADS,
            Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, threads))),
        ImageStore.Settings.from(c, DEFAULT_IMAGE_ROOT),
        c.section(CONSUMER_PREFIX),
        c.section(PRODUCER_PREFIX));
  }

  /**
   * The largest scored record a worker writes: its producer's {@code max.request.size} (1 MiB unless
   * {@code scorer.producer.max.request.size} says otherwise) less 1 KiB for the batch's and the
   * record's headers. A larger one would abort its transaction on every try; it is dead-lettered.
   */
  public int maxRecordBytes() {
    return Integer.parseInt(producerOverrides.getOrDefault("max.request.size", String.valueOf(1 << 20))) - 1024;
  }

  /** The transactional id of worker {@code worker}: the same on every start of this instance. */
  public String transactionalId(int worker) {
    return transactionalIdPrefix + "-" + instanceId + "-" + worker;
  }

  private static String defaultInstanceId() {
    String host = System.getenv("HOSTNAME");
    if (host != null && !host.isBlank()) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "0";
    }
  }

  private static void positive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(key + " must be >= 1: " + value);
    }
  }
}
