package dev.prefstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.service.Service;
import dev.prefstream.core.testing.FixedService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM stops a service process within its grace period: a service that stops in time lets the
 * process exit normally; one whose close never returns is cut off when the grace runs out (status 1),
 * so a process never outlives its orchestrator's grace.
 */
class ShutdownGraceIT {

  /** The child process: a service that stops in time or never, closed by the runner's rule on SIGTERM. */
  public static void main(String[] args) throws Exception {
    boolean stuck = args[0].equals("stuck");
    Service service = new FixedService(stuck ? "stuck" : "prompt", () -> Duration.ZERO, () -> {
      if (stuck) {
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    // logging starts with the process, as in the service commands
    org.slf4j.LoggerFactory.getLogger(ShutdownGraceIT.class).info("{} service up", service.name());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ServiceRunner.closeWithin(service, Duration.ofSeconds(2))));
    System.out.println("started");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  @Test
  void aServiceThatStopsInTimeExitsAndOneThatDoesNotIsHaltedWhenTheGraceRunsOut(@TempDir Path dir) throws Exception {
    Result prompt = runAndTerminate("prompt", dir);
    assertEquals(143, prompt.status(), "SIGTERM's usual status once the hooks are done\n" + prompt.output());
    assertTrue(prompt.output().contains("prompt stopped"), prompt.output());

    Result stuck = runAndTerminate("stuck", dir);
    assertEquals(1, stuck.status(), stuck.output());
    assertTrue(stuck.output().contains("stuck did not stop within 2 s; halting"), stuck.output());
    // the grace is 2 s; the rest bounds a JVM's exit on a loaded machine, not the grace
    assertTrue(stuck.millis() < 15_000, "exited " + stuck.millis() + " ms after SIGTERM");
  }

  private record Result(int status, long millis, String output) {}

  private static Result runAndTerminate(String mode, Path dir) throws IOException, InterruptedException {
    Path out = dir.resolve(mode + ".log");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        // the command's own logging (its shutdown hook off), so lines written while stopping are kept
        "-Dlog4j2.configurationFile=log4j2.properties", ShutdownGraceIT.class.getName(), mode))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(out, StandardCharsets.UTF_8).contains("started")) {
      assertTrue(p.isAlive() && System.nanoTime() < deadline, "the child did not start: " + Files.readString(out));
      Thread.sleep(50);
    }
    long t0 = System.nanoTime();
    p.destroy();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not exit");
    long millis = (System.nanoTime() - t0) / 1_000_000;
    return new Result(p.exitValue(), millis, Files.readString(out, StandardCharsets.UTF_8));
  }
}
