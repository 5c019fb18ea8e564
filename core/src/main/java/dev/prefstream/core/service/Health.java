package dev.prefstream.core.service;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.BrokerProbe;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;

/**
 * The one place that decides whether a process is ready and live, from its services' own answers,
 * their {@link Service#stalledFor() heartbeats} and whether the brokers answer:
 *
 * <ul>
 *   <li><b>ready</b>: every service says it is ready, the brokers answer ({@link BrokerProbe}), and no
 *       service's loop has been silent for {@code health.unready-after} [30s];
 *   <li><b>live</b>: no service has failed, and none has been silent for {@code health.stuck-after}
 *       [2m] (a thread parked for good: an orchestrator should restart the process).
 * </ul>
 */
public final class Health {
  private final List<Service> services = new CopyOnWriteArrayList<>();
  private final BrokerProbe broker;
  private final Duration unreadyAfter;
  private final Duration stuckAfter;

  /** {@code broker} null: the brokers are not checked (a process without Kafka). */
  public Health(BrokerProbe broker, Duration unreadyAfter, Duration stuckAfter) {
    this.broker = broker;
    this.unreadyAfter = Objects.requireNonNull(unreadyAfter);
    this.stuckAfter = Objects.requireNonNull(stuckAfter);
    if (stuckAfter.compareTo(unreadyAfter) < 0) {
      throw new IllegalArgumentException("health.stuck-after must be at least health.unready-after");
    }
  }

  /** The thresholds from {@code health.unready-after} and {@code health.stuck-after}. */
  public static Health from(PrefstreamConfig config, BrokerProbe broker) {
    return new Health(broker, config.duration("health.unready-after", Duration.ofSeconds(30)),
        config.duration("health.stuck-after", Duration.ofMinutes(2)));
  }

  /** Starts a probe of the brokers with {@code health.broker-check} [2s] and {@code health.broker-timeout} [6s]. */
  public static BrokerProbe probe(PrefstreamConfig config, Admin admin) {
    return BrokerProbe.start(admin, config.duration("health.broker-check", Duration.ofSeconds(2)),
        config.duration("health.broker-timeout", Duration.ofSeconds(6)));
  }

  public void register(Service service) {
    services.add(service);
  }

  public boolean ready(Service s) {
    return s.isReady() && brokersAnswer() && s.stalledFor().compareTo(unreadyAfter) < 0;
  }

  public boolean live(Service s) {
    return s.isLive() && s.stalledFor().compareTo(stuckAfter) < 0;
  }

  /** Every registered service ready (none registered: not ready). */
  public boolean ready() {
    return !services.isEmpty() && services.stream().allMatch(this::ready);
  }

  /** Every registered service live (none registered: not live). */
  public boolean live() {
    return !services.isEmpty() && services.stream().allMatch(this::live);
  }

  /** One line per service, {@code name UP} or {@code name DOWN (why)}, for readiness or liveness. */
  public String report(boolean readiness) {
    if (services.isEmpty()) {
      return "no services\n";
    }
    return services.stream().map(s -> s.name() + " " + (readiness ? readyLine(s) : liveLine(s)))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /** Why {@code s} is not ready, or UP. */
  public String readyLine(Service s) {
    if (!brokersAnswer()) {
      return "DOWN (brokers unreachable for " + seconds(broker.unreachableFor()) + ")";
    }
    if (s.stalledFor().compareTo(unreadyAfter) >= 0) {
      return "DOWN (no progress for " + seconds(s.stalledFor()) + ")";
    }
    return s.isReady() ? "UP" : "DOWN";
  }

  /** Why {@code s} is not live, or UP. */
  public String liveLine(Service s) {
    if (!s.isLive()) {
      return "DOWN (failed)";
    }
    if (s.stalledFor().compareTo(stuckAfter) >= 0) {
      return "DOWN (stuck: no progress for " + seconds(s.stalledFor()) + ")";
    }
    return "UP";
  }

  private boolean brokersAnswer() {
    return broker == null || broker.reachable();
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + " s";
  }
}
