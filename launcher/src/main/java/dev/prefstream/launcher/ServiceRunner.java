package dev.prefstream.launcher;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.kafka.TopicProvisioner;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one service as a process: logs the configuration (secrets masked), serves metrics and health
 * on {@code metrics.port}, waits for the service's topics, starts it, and returns when a shutdown
 * signal arrives (exit 0) or the service stops being live (exit 1, so an orchestrator restarts it).
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
    try (HttpEndpoint http = HttpEndpoint.start(host, port, registry);
        KafkaClients clients = new KafkaClients(config, registry)) {
      LOG.info("metrics and health at {}/metrics, /health/live, /health/ready", http.url());
      try (var admin = clients.admin()) {
        new TopicProvisioner(admin, Duration.ofSeconds(30))
            .awaitTopics(needs.stream().map(Topic::name).toList(), config.duration("topics.wait", Duration.ofMinutes(2)));
      }
      CountDownLatch stop = new CountDownLatch(1);
      try (Service service = factory.create(config, clients, registry)) {
        http.register(service);
        Thread hook = new Thread(() -> {
          stop.countDown();
          service.close();
        }, application + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        service.start();
        while (!stop.await(1, TimeUnit.SECONDS)) {
          if (service.finished()) {
            LOG.info("{} finished its work", service.name());
            return 0;
          }
          if (!service.isLive()) {
            LOG.error("{} is no longer live; exiting with status 1", service.name());
            return 1;
          }
        }
        return 0;
      }
    }
  }
}
