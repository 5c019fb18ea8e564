package dev.prefstream.labeler;

import dev.prefstream.core.config.PrefstreamConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link LabelerService} in a JVM of its own (arguments: {@code key=value} settings) so a test
 * can kill it abruptly, as a crash would. Exits 1 when the Streams client reaches ERROR.
 */
public final class LabelerMain {
  private LabelerMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> settings = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      settings.put(a.substring(0, eq), a.substring(eq + 1));
    }
    CountDownLatch failed = new CountDownLatch(1);
    LabelerService service = new LabelerService(PrefstreamConfig.of(settings), new SimpleMeterRegistry());
    service.onStateChange((next, prev) -> {
      if (next == org.apache.kafka.streams.KafkaStreams.State.ERROR) {
        failed.countDown();
      }
    });
    service.start();
    failed.await();
    service.close();
    System.exit(1);
  }
}
