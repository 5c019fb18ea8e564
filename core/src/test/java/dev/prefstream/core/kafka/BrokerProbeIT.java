package dev.prefstream.core.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.service.Health;
import dev.prefstream.core.testing.Await;
import dev.prefstream.core.testing.FixedService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness follows the broker: down within 15 s of it going away, up again once it is back. */
class BrokerProbeIT {

  @Test
  void readinessDropsWithin15SecondsOfTheBrokerStoppingAndReturnsWithIt(@TempDir Path dir) throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(0, dir.resolve("kafka")))) {
      Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
      // the defaults services use: a probe every 2 s, unreachable after 6 s without an answer
      try (BrokerProbe probe = BrokerProbe.start(admin, Duration.ofSeconds(2), Duration.ofSeconds(6))) {
        Health health = new Health(probe, Duration.ofSeconds(30), Duration.ofMinutes(2));
        FixedService service = new FixedService("idle");
        health.register(service);
        Await.until(Duration.ofSeconds(10), health::ready, () -> "ready once the broker answers");

        broker.kill();
        long stopped = System.nanoTime();
        // the bound: stale-after (6 s) + one interval (2 s) + the request's own time-out (2 s) = 10 s < 15 s
        Await.until(Duration.ofSeconds(15), () -> !health.ready(), () -> "not ready within 15 s of the broker being killed");
        assertTrue(health.live(), "an unreachable broker is not a reason to restart the service");
        assertTrue(health.readyLine(service).startsWith("DOWN (brokers unreachable for"), health.readyLine(service));
        assertFalse(probe.reachable());
        System.out.printf("readiness dropped %d ms after the broker was killed%n", (System.nanoTime() - stopped) / 1_000_000);

        broker.restart();
        Await.until(Duration.ofSeconds(30), health::ready, () -> "ready again once the broker is back");
      }
    }
  }
}
