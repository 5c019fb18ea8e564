package dev.prefstream.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.launcher.demo.DemoRecords.Run;
import dev.prefstream.launcher.demo.DemoRecords.Snapshot;
import dev.prefstream.launcher.demo.DemoRecords.VersionEval;
import dev.prefstream.launcher.demo.DemoRecords.WinRate;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoReportTest {
  @TempDir
  Path dir;

  @Test
  void writesThePageThePlotsAndOneSampleRowPerVersion() throws Exception {
    List<Snapshot> timeline = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      timeline.add(new Snapshot(i, 10L * i, 9L * i, 3L * i, 5L * i, i / 2, 0, 4L * i, 0.69 - 0.001 * i, 0.5 + 0.01 * i, 0.5 + 0.005 * i, i / 10));
    }
    List<RgbImage> images = List.of(RgbImage.blank(32, 32), RgbImage.blank(32, 32), RgbImage.blank(32, 32));
    VersionEval v1 = new VersionEval(1, 60, Map.of("oracle.overall", new WinRate(0.61, 0.52, 0.7, 0.01)), images,
        List.of("a small red circle at the top left on a blue background"), java.time.Instant.EPOCH);
    VersionEval v2 = new VersionEval(2, 120, Map.of("oracle.overall", new WinRate(0.66, 0.58, 0.74, 0.0)), images,
        List.of("a small red circle at the top left on a blue background"), java.time.Instant.EPOCH);
    Run run = new Run("prefstream demo", Map.of("duration", "PT6M"), timeline, Map.of("detail", 0.6),
        Map.of("held-out humans", 0.8), List.of(v1, v2), images, List.of("a note"));

    Path index = DemoReport.write(run, dir);

    String html = Files.readString(index);
    assertTrue(html.contains("0.660 [0.580, 0.740]"), "the last version's win rate with its interval");
    for (String png : List.of("label-flow.png", "training.png", "scorer-agreement.png", "win-rates.png", "samples.png")) {
      assertTrue(html.contains(png), png + " is shown");
      BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
      assertTrue(img.getWidth() > 100, png + " is a picture");
    }
    BufferedImage grid = ImageIO.read(dir.resolve("samples.png").toFile());
    assertEquals(3 * (32 * 3 + 2), grid.getHeight(), "one row for the base and one per version");
  }
}
