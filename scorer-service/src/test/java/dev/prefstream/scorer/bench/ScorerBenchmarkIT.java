package dev.prefstream.scorer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The benchmark, tiny, on the shared broker: both sides score every pair and the report ends with the ratio. */
@ExtendWith(KafkaBroker.class)
class ScorerBenchmarkIT {

  @Test
  void scoresEveryPairBothWaysAndPrintsTheRatioLast() {
    PrefstreamConfig config = PrefstreamConfig.of(Map.of(
        "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
        "scorer.max-batch-records", "50"));
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ScorerBenchmark.Result r = ScorerBenchmark.run(config,
        new ScorerBenchmark.Settings(200, 16, 2), new PrintStream(buffer, true, StandardCharsets.UTF_8));

    assertEquals(200, r.serviceScored());
    assertTrue(r.inProcessPerSecond() > 0 && r.servicePerSecond() > 0, r.toString());
    String[] lines = buffer.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertTrue(lines[lines.length - 1].matches("ratio: \\d+\\.\\d\\d"), lines[lines.length - 1]);
  }
}
