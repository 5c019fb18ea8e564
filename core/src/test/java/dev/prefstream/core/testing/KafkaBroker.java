package dev.prefstream.core.testing;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.kafka.LocalKafkaBroker;
import dev.prefstream.core.kafka.TopicProvisioner;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving integration tests a real Kafka broker (a child JVM, see
 * {@link LocalKafkaBroker}), shared by all test classes of one test JVM and stopped when the JVM's
 * tests end. Tests isolate themselves with their own topic prefix ({@link #freshTopics}). Tests that
 * must kill or restart a broker start their own {@link LocalKafkaBroker}.
 */
public final class KafkaBroker implements BeforeAllCallback {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static volatile LocalKafkaBroker shared;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    synchronized (KafkaBroker.class) {
      if (shared == null) {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "prefstream-it-kafka-");
        LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(0, dir).withHeap("384m"));
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(KafkaBroker.class.getName(), new Stopper(broker, dir));
        shared = broker;
      }
    }
  }

  public static LocalKafkaBroker broker() {
    if (shared == null) {
      throw new IllegalStateException("annotate the test class with @ExtendWith(KafkaBroker.class)");
    }
    return shared;
  }

  public static String bootstrapServers() {
    return broker().bootstrapServers();
  }

  /** Settings pointing at the shared broker with a topic prefix no other test uses. */
  public static PrefstreamConfig freshConfig(int partitions) {
    String prefix = "t" + PREFIXES.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()) + ".";
    return PrefstreamConfig.of(Map.of(
        "kafka.bootstrap.servers", bootstrapServers(),
        "topics.prefix", prefix,
        "topics.partitions", String.valueOf(partitions)));
  }

  /** Creates every catalogue topic under a fresh prefix and returns the catalogue. */
  public static Topics freshTopics(PrefstreamConfig config) {
    try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry()); Admin admin = clients.admin()) {
      new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(clients.topics().all());
      return clients.topics();
    }
  }

  /** Stops the shared broker when the test JVM's root context closes. */
  private record Stopper(LocalKafkaBroker broker, Path dir) implements AutoCloseable {
    @Override
    public void close() {
      broker.stop();
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // temp directory: leftovers are harmless
    }
  }
}
