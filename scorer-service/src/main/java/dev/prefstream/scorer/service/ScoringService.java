package dev.prefstream.scorer.service;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.kafka.DeadLetters;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.service.Service;
import dev.prefstream.scorer.ScorerRegistry;
import dev.prefstream.scorer.cache.ScoreCache;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scorer service: reads {@code prefs.votes}, scores both images of every vote with each
 * configured scorer, and writes {@code prefs.scored}, exactly once, with every vote it cannot score
 * on {@code prefs.dlq} (stage {@code scorer}) in the same transaction. Runs
 * {@link ScorerConfig#threads()} workers, each with its own consumer in the service's group, its own
 * transactional producer ({@link ScorerConfig#transactionalId(int)}) and its own scorers; the score
 * cache and the image store are shared.
 *
 * <p>Ready when every worker polls; live until a worker fails (fenced by another instance with the
 * same transactional id, or a producer error it cannot abort), after which the process should exit
 * and be restarted. Closing stops the workers after their current batch and closes the scorers.
 */
public final class ScoringService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringService.class);
  /** The stage recorded in dead letters and the DLQ metric. */
  public static final String STAGE = "scorer";
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(60);

  private final ScorerConfig config;
  private final ScorerRegistry scorers;
  private final List<ScoringWorker> workers = new ArrayList<>();
  private boolean started;
  private boolean closed;

  /**
   * The service of {@code config}'s {@code scorer.*} and {@code images.*} settings, for the launcher:
   * applies the {@link ProcessSettings}, then loads the scorers (TorchScript models are verified and
   * loaded here, so a bad model fails before the service starts).
   */
  public static ScoringService create(PrefstreamConfig config, KafkaClients clients,
      MeterRegistry registry) {
    ScorerConfig scorerConfig = ScorerConfig.from(config);
    ProcessSettings.apply(scorerConfig);
    return new ScoringService(scorerConfig, clients, registry,
        ScorerRegistry.fromSpecs(scorerConfig.scorers()));
  }

  /** A service scoring with {@code scorers}, which it owns and closes. */
  public ScoringService(ScorerConfig config, KafkaClients clients, MeterRegistry registry,
      ScorerRegistry scorers) {
    this(config, clients, registry, scorers, id -> transactionalProducer(clients, config, id));
  }

  /** As above, with the transactional producers made by {@code producers} (tests inject faults). */
  ScoringService(ScorerConfig config, KafkaClients clients, MeterRegistry registry,
      ScorerRegistry scorers, Function<String, Producer<byte[], byte[]>> producers) {
    this.config = config;
    this.scorers = scorers;
    ImageStore images = new ImageStore(config.images());
    ScoreCache cache = new ScoreCache(config.cacheCapacity());
    ScorerMetrics metrics = new ScorerMetrics(registry, cache);
    DeadLetters deadLetters = new DeadLetters(clients.topics().dlq(), STAGE, registry);
    ScoringWorker.Resources resources = new ScoringWorker.Resources() {
      @Override
      public BatchScorer scorer() {
        return new BatchScorer(images, scorers.newScorers(), cache, metrics);
      }

      @Override
      public Producer<byte[], byte[]> producer(String transactionalId) {
        return producers.apply(transactionalId);
      }

      @Override
      public Consumer<byte[], byte[]> consumer(String clientId) {
        return clients.rawConsumer(config.groupId(), clientId, consumerSettings(config));
      }
    };
    for (int w = 0; w < config.threads(); w++) {
      workers.add(new ScoringWorker("scorer-" + config.instanceId() + "-" + w,
          config.transactionalId(w), config, clients.topics(), deadLetters, metrics, resources));
    }
  }

  /**
   * Consumer settings: a poll is one batch and one transaction, so {@code max.poll.records} is the
   * batch size; fetches are sized to fill it. {@code scorer.consumer.*} overrides.
   */
  static Map<String, Object> consumerSettings(ScorerConfig config) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxBatchRecords());
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 << 20);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 << 20);
    p.putAll(config.consumerOverrides());
    return p;
  }

  /**
   * Producer settings: a batch is sent at once and flushed by the commit, so a long linger only
   * delays; large batches carry a whole transaction in few requests. {@code scorer.producer.*}
   * overrides.
   */
  static Map<String, Object> producerSettings(ScorerConfig config, String transactionalId) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 << 10);
    p.putAll(config.producerOverrides());
    return p;
  }

  private static Producer<byte[], byte[]> transactionalProducer(KafkaClients clients,
      ScorerConfig config, String transactionalId) {
    ByteArraySerializer bytes = new ByteArraySerializer();
    KafkaProducer<byte[], byte[]> producer = clients.producer(transactionalId, bytes, bytes,
        producerSettings(config, transactionalId));
    try {
      producer.initTransactions();
      return producer;
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
  }

  @Override
  public String name() {
    return "scorer";
  }

  @Override
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException(started ? "already started" : "closed");
    }
    started = true;
    LOG.info("scorer {} starting {} worker(s), scorers {}, batch {} records, cache {}",
        config.instanceId(), workers.size(), config.scorers(), config.maxBatchRecords(),
        config.cacheCapacity());
    for (ScoringWorker worker : workers) {
      new Thread(worker, "prefstream-" + worker.name()).start();
    }
  }

  @Override
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ScoringWorker worker : workers) {
      if (!worker.awaitStarted(Math.max(0, deadline - System.nanoTime()))) {
        return false;
      }
    }
    return isReady();
  }

  @Override
  public boolean isReady() {
    return workers.stream().allMatch(ScoringWorker::isReady);
  }

  @Override
  public boolean isLive() {
    return workers.stream().noneMatch(ScoringWorker::hasFailed);
  }

  /** The longest silence among the workers' loops. */
  @Override
  public Duration stalledFor() {
    return workers.stream().map(ScoringWorker::stalledFor).max(Duration::compareTo).orElse(Duration.ZERO);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    workers.forEach(ScoringWorker::stop);
    try {
      long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
      for (ScoringWorker worker : started ? workers : List.<ScoringWorker>of()) {
        if (!worker.awaitEnded(Math.max(0, deadline - System.nanoTime()))) {
          LOG.warn("{} did not stop within {}", worker.name(), CLOSE_WAIT);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      scorers.close();
    }
  }
}
