package dev.prefstream.core.kafka;

import dev.prefstream.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalogue's topics, idempotently: a topic that exists is left alone (its partition
 * count and cleanup policy are checked and any mismatch reported), a missing one is created with the
 * catalogue's partitions, cleanup policy and the broker's replication factor (capped by cluster size).
 * It returns once the broker serves every partition, so a producer may write at once.
 */
public final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  /** What happened to one topic. */
  public record Outcome(String topic, boolean created, int partitions, String cleanupPolicy, List<String> mismatches) {}

  private final Admin admin;
  private final Duration timeout;

  public TopicProvisioner(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  public List<Outcome> provision(Collection<Topic<?, ?>> topics) {
    try {
      int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
      short replication = (short) Math.min(3, Math.max(1, brokers));
      Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (Topic<?, ?> t : topics) {
        if (!existing.contains(t.name())) {
          missing.add(new NewTopic(t.name(), t.partitions(), replication)
              .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, t.cleanup().config())));
        }
      }
      List<String> created = new ArrayList<>();
      for (var e : admin.createTopics(missing).values().entrySet()) {
        try {
          e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          created.add(e.getKey());
        } catch (ExecutionException ex) {
          if (!(ex.getCause() instanceof TopicExistsException)) {
            throw ex;
          }
        }
      }
      awaitOnline(topics.stream().map(Topic::name).toList(), System.nanoTime() + timeout.toNanos());
      return describeWhenVisible(topics, created);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while provisioning topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot provision topics: " + e.getMessage(), e);
    }
  }

  /**
   * Waits until the broker serves every partition of the topics. CreateTopics returns once the
   * controller has registered them; the broker creates each partition's log later, one by one, which
   * takes seconds on a busy machine. An idempotent producer that writes into that gap can have a first
   * request refused (NOT_LEADER_OR_FOLLOWER) while a later one is appended; the refused batch is then
   * retried with OUT_OF_ORDER_SEQUENCE_NUMBER until {@code delivery.timeout.ms} expires it, and its
   * records are lost to a sender that does not check every result (KAFKA-15591). ListOffsets succeeds
   * only on a partition whose leader log exists.
   */
  private void awaitOnline(Collection<String> names, long deadline) throws InterruptedException {
    while (true) {
      try {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .forEach((name, d) -> d.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()),
                OffsetSpec.latest())));
        admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topics not served by the broker in time " + names + ": " + e.getMessage(), e);
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  /** New topics take a moment to reach the metadata of every broker path: retry until the deadline. */
  private List<Outcome> describeWhenVisible(Collection<Topic<?, ?>> topics, List<String> created)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return describe(topics, created);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  private List<Outcome> describe(Collection<Topic<?, ?>> topics, List<String> created)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<String> names = topics.stream().map(Topic::name).toList();
    Map<String, TopicDescription> descriptions =
        admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    List<ConfigResource> resources =
        names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, Config> configs =
        admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    List<Outcome> out = new ArrayList<>();
    for (Topic<?, ?> t : topics) {
      int partitions = descriptions.get(t.name()).partitions().size();
      String cleanup = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t.name()))
          .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
      List<String> mismatches = new ArrayList<>();
      if (partitions != t.partitions()) {
        mismatches.add("has " + partitions + " partitions, the catalogue says " + t.partitions());
      }
      if (!cleanup.equals(t.cleanup().config())) {
        mismatches.add("has cleanup.policy=" + cleanup + ", the catalogue says " + t.cleanup().config());
      }
      mismatches.forEach(m -> LOG.warn("topic {} {}", t.name(), m));
      out.add(new Outcome(t.name(), created.contains(t.name()), partitions, cleanup, mismatches));
    }
    return out;
  }

  /** Waits until every topic exists (a service starts only after its topics exist). */
  public void awaitTopics(Collection<String> names, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      try {
        Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<String> missing = names.stream().filter(n -> !existing.contains(n)).toList();
        if (missing.isEmpty()) {
          awaitOnline(names, deadline);
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topics still missing after " + max + ": " + missing
              + " (run 'prefstream topics create')");
        }
        TimeUnit.MILLISECONDS.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for topics", e);
      } catch (ExecutionException | TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot list topics: " + e.getMessage(), e);
        }
      }
    }
  }
}
