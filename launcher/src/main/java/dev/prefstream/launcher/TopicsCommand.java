package dev.prefstream.launcher;

import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.kafka.TopicProvisioner;
import dev.prefstream.schemas.Topic;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code prefstream topics}: the topic catalogue. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Lists or creates prefstream's topics.",
    subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class})
final class TopicsCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static List<TopicProvisioner.Outcome> provision(KafkaClients clients) {
    try (var admin = clients.admin()) {
      return new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(clients.topics().all());
    }
  }

  static void printOutcomes(List<TopicProvisioner.Outcome> outcomes) {
    for (TopicProvisioner.Outcome o : outcomes) {
      System.out.printf("%-28s %-8s partitions=%d cleanup.policy=%s%s%n", o.topic(), o.created() ? "created" : "exists",
          o.partitions(), o.cleanupPolicy(), o.mismatches().isEmpty() ? "" : "  MISMATCH: " + String.join("; ", o.mismatches()));
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Creates every topic of the catalogue that does not exist yet (idempotent).")
  static final class Create implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
      try (KafkaClients clients = new KafkaClients(config.load(Map.of()), new SimpleMeterRegistry())) {
        List<TopicProvisioner.Outcome> outcomes = provision(clients);
        printOutcomes(outcomes);
        return outcomes.stream().allMatch(o -> o.mismatches().isEmpty()) ? 0 : 2;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Prints the topic catalogue (no broker needed).")
  static final class ListTopics implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
      try (KafkaClients clients = new KafkaClients(config.load(Map.of()), new SimpleMeterRegistry())) {
        for (Topic<?, ?> t : clients.topics().all()) {
          System.out.printf("%-28s partitions=%d cleanup.policy=%-8s %s%n", t.name(), t.partitions(), t.cleanup().config(),
              t.description());
        }
      }
      return 0;
    }
  }
}
