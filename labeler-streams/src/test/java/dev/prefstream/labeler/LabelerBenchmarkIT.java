package dev.prefstream.labeler;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.labeler.bench.LabelerBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The benchmark entry point on a real broker, CI-sized (set {@code -Dlabeler.bench.pairs=200000} for
 * the full run).
 */
@ExtendWith(KafkaBroker.class)
class LabelerBenchmarkIT {
  @Test
  void printsBothThroughputsAndTheRatioLast() {
    int pairs = Integer.getInteger("labeler.bench.pairs", 4_000);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        bytes.write(b);
        System.out.write(b);
      }
    }, true, StandardCharsets.UTF_8);
    LabelerBenchmark.Result r = LabelerBenchmark.run(
        PrefstreamConfig.of(Map.of("kafka.bootstrap.servers", KafkaBroker.bootstrapServers())),
        new LabelerBenchmark.Settings(pairs, 6, 1), out);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(r.passThrough().perSecond() > 0 && r.labeler().perSecond() > 0, text);
    // the pass-through writes one record per input; the labeler a label, a routed pair and its state;
    // the output floor three, as the labeler does, without its work (counted once all were committed)
    assertTrue(r.passThrough().recordsOutPer1k() >= 1000 && r.passThrough().recordsOutPer1k() < 1010, text);
    assertTrue(r.labeler().recordsOutPer1k() > 2.9 * r.passThrough().recordsOutPer1k(), text);
    assertTrue(r.floor().recordsOutPer1k() >= 3000 && r.floor().recordsOutPer1k() < 3030, text);
    assertTrue(r.labeler().processCpuMsPer1k() > 0, text);
    String[] lines = text.strip().split("\n");
    assertTrue(lines[lines.length - 1].matches("ratio: \\d+\\.\\d\\d"), text);
  }
}
