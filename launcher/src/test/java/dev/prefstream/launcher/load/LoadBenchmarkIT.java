package dev.prefstream.launcher.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A short load run on the test broker: every vote decided once, the report's last line. */
@ExtendWith(KafkaBroker.class)
class LoadBenchmarkIT {

  @Test
  void everyVoteSentIsDecidedAndTheLastLineIsTheP99() {
    PrefstreamConfig config = KafkaBroker.freshConfig(3);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    LoadBenchmark.Result r = LoadBenchmark.run(config,
        new LoadBenchmark.Settings(50, Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(60)),
        new PrintStream(buffer, true, StandardCharsets.UTF_8));
    String report = buffer.toString(StandardCharsets.UTF_8);
    System.out.print(report);
    assertEquals(500, r.sent(), report);
    assertEquals(0, r.lost(), report);
    assertEquals(r.sent(), r.decided(), report);
    assertEquals(0, r.deadLetters(), report);
    assertTrue(r.p50() > 0 && r.p50() <= r.p99() && r.p99() <= r.max(), report);
    List<String> lines = report.lines().toList();
    assertTrue(lines.get(lines.size() - 1).matches("p99 decision latency: \\d+ ms"), report);
  }

  @Test
  void percentilesAreTheNearestRank() {
    long[] nanos = new long[100];
    for (int i = 0; i < 100; i++) {
      nanos[i] = (100 - i) * 1_000_000L;
    }
    assertEquals(50.0, LoadBenchmark.percentile(nanos, 100, 0.50));
    assertEquals(99.0, LoadBenchmark.percentile(nanos, 100, 0.99));
    assertEquals(100.0, LoadBenchmark.percentile(nanos, 100, 1.0));
    assertTrue(Double.isNaN(LoadBenchmark.percentile(nanos, 0, 0.5)));
  }
}
