package dev.prefstream.core.kafka;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Builds Kafka clients from the {@code kafka.*} section of the configuration, with prefstream's
 * defaults (idempotent producers, read_committed consumers without auto-commit), and binds each
 * client's metrics to the process's registry. A client's metrics leave the registry when the client
 * is closed (so a service that reconnects can register its client id again); {@link #close()}
 * removes any left.
 */
public final class KafkaClients implements AutoCloseable {
  public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

  private final PrefstreamConfig config;
  private final MeterRegistry registry;
  private final Topics topics;
  private final List<KafkaClientMetrics> binders = new ArrayList<>();

  public KafkaClients(PrefstreamConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
    this.topics = topicsOf(config);
  }

  /** The topic catalogue a configuration names ({@code topics.prefix}, {@code topics.partitions}). */
  public static Topics topicsOf(PrefstreamConfig config) {
    return new Topics(config.string("topics.prefix", Topics.DEFAULT_PREFIX),
        config.integer("topics.partitions", Topics.DEFAULT_PARTITIONS));
  }

  public PrefstreamConfig config() {
    return config;
  }

  public Topics topics() {
    return topics;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public String bootstrapServers() {
    return config.string("kafka.bootstrap.servers", DEFAULT_BOOTSTRAP);
  }

  /** The {@code kafka.*} settings plus the bootstrap servers, as client properties. */
  public Map<String, Object> common() {
    Map<String, Object> p = new HashMap<>(config.section("kafka."));
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return p;
  }

  public Admin admin() {
    return Admin.create(common());
  }

  /** An idempotent producer (acks=all). */
  public <K, V> KafkaProducer<K, V> producer(String clientId, Serializer<K> keys, Serializer<V> values) {
    return producer(clientId, keys, values, Map.of());
  }

  public <K, V> KafkaProducer<K, V> producer(String clientId, Serializer<K> keys, Serializer<V> values,
      Map<String, Object> overrides) {
    Map<String, Object> p = common();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.putAll(overrides);
    return new MeteredProducer<>(p, keys, values, this);
  }

  /** A transactional producer; {@code initTransactions()} is called before it is returned. */
  public <K, V> KafkaProducer<K, V> transactionalProducer(String transactionalId, Serializer<K> keys,
      Serializer<V> values) {
    KafkaProducer<K, V> producer = producer(transactionalId, keys, values,
        Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId));
    producer.initTransactions();
    return producer;
  }

  /** A read_committed consumer without auto-commit, starting from the earliest offset. */
  public <K, V> KafkaConsumer<K, V> consumer(String groupId, String clientId, Deserializer<K> keys,
      Deserializer<V> values) {
    return consumer(groupId, clientId, keys, values, Map.of());
  }

  public <K, V> KafkaConsumer<K, V> consumer(String groupId, String clientId, Deserializer<K> keys,
      Deserializer<V> values, Map<String, Object> overrides) {
    Map<String, Object> p = common();
    if (groupId != null) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.putAll(overrides);
    return new MeteredConsumer<>(p, keys, values, this);
  }

  /** A consumer reading raw bytes, for stages that must dead-letter what they cannot decode. */
  public KafkaConsumer<byte[], byte[]> rawConsumer(String groupId, String clientId, Map<String, Object> overrides) {
    var bytes = new org.apache.kafka.common.serialization.ByteArrayDeserializer();
    return consumer(groupId, clientId, bytes, bytes, overrides);
  }

  public <K, V> KafkaProducer<K, V> producerFor(String clientId, Topic<K, V> topic) {
    return producer(clientId, topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  /** One client's metrics in the registry, until {@link #release()}. */
  private final class Binding {
    private final KafkaClientMetrics metrics;

    Binding(KafkaClientMetrics metrics) {
      this.metrics = metrics;
      metrics.bindTo(registry);
      synchronized (binders) {
        binders.add(metrics);
      }
    }

    void release() {
      synchronized (binders) {
        if (!binders.remove(metrics)) {
          return;
        }
      }
      metrics.close();
    }
  }

  /** A producer whose metrics leave the registry (and their refresh thread stops) when it closes. */
  private static final class MeteredProducer<K, V> extends KafkaProducer<K, V> {
    private final Binding binding;

    MeteredProducer(Map<String, Object> config, Serializer<K> keys, Serializer<V> values, KafkaClients owner) {
      super(config, keys, values);
      binding = owner.new Binding(new KafkaClientMetrics(this));
    }

    @Override
    public void close(Duration timeout) {
      binding.release();
      super.close(timeout);
    }

    @Override
    public void close() {
      binding.release();
      super.close();
    }
  }

  /** A consumer whose metrics leave the registry (and their refresh thread stops) when it closes. */
  private static final class MeteredConsumer<K, V> extends KafkaConsumer<K, V> {
    private final Binding binding;

    MeteredConsumer(Map<String, Object> config, Deserializer<K> keys, Deserializer<V> values, KafkaClients owner) {
      super(config, keys, values);
      binding = owner.new Binding(new KafkaClientMetrics(this));
    }

    @Override
    public void close(CloseOptions options) {
      binding.release();
      super.close(options);
    }

    @Override
    public void close(Duration timeout) {
      binding.release();
      super.close(timeout);
    }

    @Override
    public void close() {
      binding.release();
      super.close();
    }
  }

  @Override
  public void close() {
    synchronized (binders) {
      binders.forEach(KafkaClientMetrics::close);
      binders.clear();
    }
  }
}
