package dev.prefstream.launcher;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.kafka.LocalKafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prefstream broker}: a real Kafka broker on loopback, until Ctrl-C. */
@Command(name = "broker", mixinStandardHelpOptions = true,
    description = {"Runs a local Apache Kafka broker until Ctrl-C.",
        "KRaft, one node, a child JVM on 127.0.0.1.",
        "Data is kept in --data-dir: a restart on the same directory keeps every topic and record."})
final class BrokerCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "9092", description = "Client port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--controller-port", defaultValue = "0", description = "KRaft controller port (0: any free port).")
  int controllerPort;

  @Option(names = "--data-dir", defaultValue = ".prefstream/kafka", description = "Log and metadata directory (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--heap", defaultValue = "512m", description = "Broker JVM heap (default ${DEFAULT-VALUE}).")
  String heap;

  @Option(names = "--create-topics", description = "Also create the prefstream topics once the broker is up.")
  boolean createTopics;

  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    LocalKafkaBroker broker = LocalKafkaBroker.start(new LocalKafkaBroker.Settings(port, controllerPort, dataDir, heap, 6,
        Map.of(), Duration.ofSeconds(90)));
    Thread stopper = new Thread(broker::stop, "broker-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    System.out.printf("Kafka broker ready at %s (data %s, log %s). Ctrl-C to stop.%n", broker.bootstrapServers(),
        dataDir.toAbsolutePath(), broker.logFile());
    if (createTopics) {
      PrefstreamConfig c = config.load(Map.of()).with("kafka.bootstrap.servers", broker.bootstrapServers());
      try (KafkaClients clients = new KafkaClients(c, new SimpleMeterRegistry())) {
        TopicsCommand.printOutcomes(TopicsCommand.provision(clients));
      }
    }
    int code = broker.awaitExit();
    if (code != 0 && code != 143 && code != 130) {
      System.err.printf("Kafka broker exited with code %d; see %s%n", code, broker.logFile());
      return 1;
    }
    return 0;
  }
}
