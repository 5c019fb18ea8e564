package dev.prefstream.launcher;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.BrokerProbe;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.kafka.TopicProvisioner;
import dev.prefstream.core.service.Health;
import dev.prefstream.core.service.HttpEndpoint;
import dev.prefstream.core.service.Metrics;
import dev.prefstream.core.service.Service;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one service as a process: logs the configuration (secrets masked), serves metrics and health
 * on {@code metrics.port} ({@link Health}: ready only while the brokers answer, not live once the
 * service's loop is stuck), waits for the service's topics, starts it, and returns when a shutdown
 * signal arrives (exit 0; the service gets {@code shutdown.grace} [25s] to stop, then the JVM halts)
 * or the service stops being live (exit 1, so an orchestrator restarts it).
 */
final class ServiceRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

  /** Builds the service once clients and metrics exist. */
  @FunctionalInterface
  interface Factory {
    Service create(PrefstreamConfig config, KafkaClients clients, PrometheusMeterRegistry registry) throws Exception;
  }

  private ServiceRunner() {}

  /** Loads the command's configuration and runs the service with the topics it needs from its catalogue. */
  static int run(String application, ConfigOptions options, Function<Topics, List<Topic<?, ?>>> needs,
      Factory factory) throws Exception {
    PrefstreamConfig config = options.load(Map.of());
    return run(application, config, needs.apply(KafkaClients.topicsOf(config)), factory);
  }

  static int run(String application, PrefstreamConfig config, List<Topic<?, ?>> needs, Factory factory) throws Exception {
    LOG.info("{} configuration:\n{}", application, config.describe());
    PrometheusMeterRegistry registry = Metrics.prometheus(application);
    String host = config.string("metrics.host", "127.0.0.1");
    int port = config.integer("metrics.port", 8080);
    Duration grace = config.duration("shutdown.grace", Duration.ofSeconds(25));
    try (KafkaClients clients = new KafkaClients(config, registry);
        BrokerProbe brokers = Health.probe(config, clients.admin())) {
      Health health = Health.from(config, brokers);
      try (HttpEndpoint http = HttpEndpoint.start(host, port, registry, health)) {
        LOG.info("metrics and health at {}/metrics, /health/live, /health/ready", http.url());
        try (var admin = clients.admin()) {
          new TopicProvisioner(admin, Duration.ofSeconds(30))
              .awaitTopics(needs.stream().map(Topic::name).toList(), config.duration("topics.wait", Duration.ofMinutes(2)));
        }
        CountDownLatch stop = new CountDownLatch(1);
        Service service = factory.create(config, clients, registry);
        try {
          http.register(service);
          Thread hook = new Thread(() -> {
            stop.countDown();
            closeWithin(service, grace);
            // log4j's own shutdown hook is off (log4j2.properties), so the lines above are written
            LogManager.shutdown();
          }, application + "-shutdown");
          Runtime.getRuntime().addShutdownHook(hook);
          service.start();
          while (!stop.await(1, TimeUnit.SECONDS)) {
            if (service.finished()) {
              LOG.info("{} finished its work", service.name());
              return 0;
            }
            if (!health.live(service)) {
              LOG.error("{} is no longer live ({}); exiting with status 1", service.name(), health.liveLine(service));
              return 1;
            }
          }
          return 0;
        } finally {
          // on a signal the hook closes it; otherwise (finished, not live) here, bounded the same way,
          // so a stuck service cannot keep the process from exiting
          if (stop.getCount() > 0) {
            closeWithin(service, grace);
          }
        }
      }
    }
  }

  /**
   * Closes {@code service} on a separate thread and waits up to {@code grace}; if it has not stopped by
   * then (a thread parked in a call that never returns), halts the JVM with status 1 so that the
   * process never outlives its orchestrator's grace period.
   */
  static void closeWithin(Service service, Duration grace) {
    Thread closer = new Thread(service::close, service.name() + "-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(grace.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (closer.isAlive()) {
      LOG.error("{} did not stop within {} s; halting", service.name(), grace.toSeconds());
      LogManager.shutdown();
      Runtime.getRuntime().halt(1);
    }
    LOG.info("{} stopped", service.name());
  }
}
