package dev.prefstream.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prefstream experiment --preset ci} as a user runs it, in a child JVM: killed (SIGKILL) once
 * its first evaluation is written, then run again on the same directory. The second run finishes the
 * experiment without redoing the finished evaluation, every trained arm has every evaluated step, and
 * the table has an interval in every cell.
 */
class ExperimentIT {
  private static final Pattern CELL = Pattern.compile("\\d\\.\\d\\d \\[\\d\\.\\d\\d, \\d\\.\\d\\d\\]");

  @TempDir
  Path dir;

  @Test
  void theCiPresetTrainsEveryArmAndResumesAfterAKill() throws Exception {
    Path run = dir.resolve("run");
    Path firstEval = run.resolve("arms/human-s1/evals/step-4.json");
    // the manifest is a checkpoint's last file: once it is there, the checkpoint after the evaluation is
    Path checkpoint = run.resolve("arms/human-s1/models/unet/checkpoints/step-4/manifest.json");
    Process first = start(run, "first");
    Instant deadline = Instant.now().plus(Duration.ofMinutes(6));
    while (!Files.exists(checkpoint) && first.isAlive() && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertTrue(Files.exists(checkpoint), "no checkpoint after the first evaluation; see target/experiment-first.log");
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    byte[] evalBefore = Files.readAllBytes(firstEval);

    Process second = start(run, "second");
    assertTrue(second.waitFor(10, TimeUnit.MINUTES), "the resumed experiment did not finish");
    String log = Files.readString(Path.of("target", "experiment-second.log"), StandardCharsets.UTF_8);
    assertEquals(0, second.exitValue(), "exit code; output in target/experiment-second.log");

    assertArrayEquals(evalBefore, Files.readAllBytes(firstEval), "a finished evaluation was redone");
    assertTrue(log.contains("human s1: resuming from its checkpoint at step 4 of 8"),
        "the human s1 run resumed from its checkpoint");
    for (String arm : List.of("human", "oracle")) {
      for (int seed = 1; seed <= 2; seed++) {
        for (int step : new int[] {4, 8}) {
          Path eval = run.resolve("arms/" + arm + "-s" + seed + "/evals/step-" + step + ".json");
          assertTrue(Files.exists(eval), eval + " missing");
        }
      }
    }
    List<String> rows = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("results.md"), StandardCharsets.UTF_8)) {
      if (line.startsWith("| human |") || line.startsWith("| oracle |")) {
        rows.add(line);
      }
    }
    assertEquals(4, rows.size(), "two arms x two evaluated steps");
    for (String row : rows) {
      String[] cells = row.split("\\|");
      // | arm | step | metrics... | loss | accuracy |: every metric cell holds a rate and its interval
      for (int c = 3; c < cells.length - 2; c++) {
        assertTrue(CELL.matcher(cells[c]).find(), "cell without an interval in: " + row);
      }
    }
    assertTrue(Files.exists(run.resolve("index.html")) && Files.exists(run.resolve("samples.png")));
    assertTrue(Files.readString(run.resolve("results.md")).startsWith("**human labels after 8 steps"));
  }

  private static Process start(Path run, String name) throws Exception {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
        "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_interop_threads=1",
        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.prefstream.avro", "-cp", System.getProperty("java.class.path"),
        Prefstream.class.getName(), "experiment", "--preset", "ci", "--dir", run.toString());
    Files.createDirectories(Path.of("target"));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(Path.of("target", "experiment-" + name + ".log").toFile()).start();
  }
}
