package dev.prefstream.labeler;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.kafka.TopicProvisioner;
import dev.prefstream.core.service.Service;
import dev.prefstream.labeler.errors.DeadLetterHandlers;
import dev.prefstream.labeler.state.LookupTunedRocksDb;
import dev.prefstream.labeler.errors.LabelerDeadLetters;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the labeler topology: waits for its topics, starts Kafka Streams with exactly-once and the
 * dead-letter handlers, binds {@link KafkaStreamsMetrics}. Ready only when RUNNING; live unless in
 * ERROR or NOT_RUNNING (a restoring instance is live). A fatal error puts the client in ERROR; the
 * launcher observes it through {@link #onStateChange} and exits non-zero.
 */
public final class LabelerService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(LabelerService.class);

  private final LabelerConfig config;
  private final KafkaClients clients;
  private final LabelerMetrics metrics;
  private final List<BiConsumer<State, State>> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private volatile KafkaStreams streams;
  private KafkaStreamsMetrics streamsMetrics;
  private boolean closed;

  public LabelerService(PrefstreamConfig config, MeterRegistry registry) {
    this.config = LabelerConfig.from(config.asMap());
    this.clients = new KafkaClients(config, registry);
    this.metrics = new LabelerMetrics(registry);
  }

  @Override
  public String name() {
    return "labeler";
  }

  public LabelerConfig config() {
    return config;
  }

  public Topics topics() {
    return clients.topics();
  }

  /** Called on every state change (new, old), from a Streams thread; register before {@link #start}. */
  public void onStateChange(BiConsumer<State, State> listener) {
    listeners.add(listener);
  }

  /** The Streams client's state, NOT_RUNNING before start. */
  public State state() {
    synchronized (lock) {
      return streams == null ? State.NOT_RUNNING : streams.state();
    }
  }

  /** Waits for the topics (they are created by {@code prefstream topics create}), then starts. */
  @Override
  public void start() {
    LOG.info("starting labeler with {}", config);
    Topics topics = clients.topics();
    try (Admin admin = clients.admin()) {
      new TopicProvisioner(admin, Duration.ofSeconds(10))
          .awaitTopics(topics(topics).stream().map(Topic::name).toList(), config.topicsWait());
    }
    synchronized (lock) {
      if (closed || streams != null) {
        throw new IllegalStateException("the labeler can be started once");
      }
      LabelerDeadLetters deadLetters = new LabelerDeadLetters(topics.dlq(), metrics);
      streams = new KafkaStreams(LabelerTopology.build(config, topics, metrics),
          streamsProperties(config, clients.common(), deadLetters));
      streams.setStateListener((next, prev) -> {
        LOG.info("labeler {} -> {}", prev, next);
        listeners.forEach(l -> l.accept(next, prev));
      });
      streams.setUncaughtExceptionHandler(e -> {
        LOG.error("labeler stream thread failed; shutting the client down", e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      });
      streamsMetrics = new KafkaStreamsMetrics(streams, Tags.of("application.id", config.applicationId()));
      streamsMetrics.bindTo(metrics.registry());
      streams.start();
    }
  }

  @Override
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      State s = state();
      if (s == State.RUNNING) {
        return true;
      }
      if (s == State.ERROR || s == State.PENDING_ERROR || (s == State.NOT_RUNNING && streams != null)) {
        return false;
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Override
  public boolean isReady() {
    return state() == State.RUNNING;
  }

  @Override
  public boolean isLive() {
    State s = state();
    return streams == null || (s != State.ERROR && s != State.PENDING_ERROR && s != State.NOT_RUNNING);
  }

  /**
   * The longest time since a stream thread's consumer last polled (its {@code last-poll-seconds-ago}
   * metric): a stream thread goes round its poll loop every {@code poll.ms} even with nothing to do,
   * so a thread parked in a call that never returns (a producer's flush after its network thread died)
   * shows here. Zero before start and once closed.
   */
  @Override
  public Duration stalledFor() {
    KafkaStreams s;
    synchronized (lock) {
      s = closed ? null : streams;
    }
    return s == null ? Duration.ZERO : pollSilence(s);
  }

  /** The largest {@code last-poll-seconds-ago} of the stream threads' main consumers of {@code streams}. */
  static Duration pollSilence(KafkaStreams streams) {
    double worst = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
      MetricName n = e.getKey();
      String client = n.tags().getOrDefault("client-id", "");
      if (n.name().equals("last-poll-seconds-ago") && n.group().equals("consumer-metrics")
          && client.contains("-StreamThread-") && client.endsWith("-consumer") && !client.endsWith("-restore-consumer")
          && e.getValue().metricValue() instanceof Number v) {
        worst = Math.max(worst, v.doubleValue());
      }
    }
    return Duration.ofMillis((long) (worst * 1000));
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (streams != null) {
      streams.close(Duration.ofSeconds(30));
    }
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    clients.close();
  }

  /**
   * The Kafka Streams settings of the labeler: the Kafka client settings, exactly-once v2, the
   * commit interval and record cache from the config, the dead-letter exception handlers, producer
   * batching, then any {@code labeler.streams.*} overrides.
   */
  public static Properties streamsProperties(LabelerConfig config, Map<String, Object> kafka,
      LabelerDeadLetters deadLetters) {
    Properties p = new Properties();
    p.putAll(kafka);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.cacheMaxBytes());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
    p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Deserialization.class);
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Processing.class);
    p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Production.class);
    // a task never waits for its other input: a pseudo-label that overtakes its pair's votes is held
    // (LabelProcessor), and with a wait of 0 Kafka Streams formats a log line per record (decision 0008)
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, LookupTunedRocksDb.class);
    p.put(LabelerDeadLetters.CONFIG_KEY, deadLetters);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 10);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
    p.putAll(config.streamsOverrides());
    return p;
  }

  /** The topics the labeler reads and writes; they must exist before {@link #start}. */
  public static List<Topic<?, ?>> topics(Topics topics) {
    return List.of(topics.votesJson(), topics.votes(), topics.scored(), topics.labels(), topics.clean(),
        topics.conflicting(), topics.pseudoLabels(), topics.relabeled(), topics.dlq());
  }
}
