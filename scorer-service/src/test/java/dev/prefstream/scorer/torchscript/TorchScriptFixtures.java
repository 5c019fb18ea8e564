package dev.prefstream.scorer.torchscript;

import dev.prefstream.core.image.RgbImage;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The fixtures written by src/test/python/make_fixtures.py: the tiny models, their descriptors and
 * the values torch computed. {@link #image} repeats the script's image formulas exactly.
 */
final class TorchScriptFixtures {
  static final List<String> PROMPTS = List.of(
      "a small red circle at the top left on a blue background",
      "A green apple on a table",
      "a large yellow square at the bottom right on a green background, a red triangle on the left");
  /** (width, height, formula) of the script's IMAGES. */
  static final int[][] IMAGES = {{24, 24, 0}, {28, 20, 1}, {16, 16, 2}};

  /**
   * Rounded terms from an image to its normalised pixels: torch's antialiased resize (two passes of
   * at most 7 taps, at the fixtures' scales) and the normalisation (2).
   */
  static final int PREPROCESS = 2 * 7 + 2;
  /** From pixels to image embedding: conv 3 * 9 + 1, 4x4 average pool 16 + 1, projection 128 + 1. */
  static final int IMAGE_ENCODER = 28 + 17 + 129;
  /** From token ids to text embedding: masked mean of up to 12 words (12 + 1), projection 8 + 1. */
  static final int TEXT_ENCODER = 13 + 9;
  /** F.normalize of an 8-wide embedding: 8 squares summed, a square root, a division. */
  static final int NORMALIZE = 8 + 2;

  private TorchScriptFixtures() {}

  /**
   * Higham's relative bound on a float32 sum of n terms, gamma(n) = n u / (1 - n u), u = 2^-24; the
   * gammas of successive steps add up to at most gamma of their total.
   */
  static double gamma(int n) {
    double nu = n * (Math.ulp(1.0f) / 2.0);
    return nu / (1 - nu);
  }

  static Path dir() {
    try {
      return Path.of(TorchScriptFixtures.class.getResource("/torchscript/expected.properties")
          .toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Properties expected() {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(dir().resolve("expected.properties"))) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  static double expectedDouble(String key) {
    return Double.parseDouble(expected().getProperty(key));
  }

  static long[] expectedIds(int prompt) {
    return Arrays.stream(expected().getProperty("prompt." + prompt + ".ids").split(","))
        .mapToLong(Long::parseLong).toArray();
  }

  static RgbImage image(int k) {
    int w = IMAGES[k][0];
    int h = IMAGES[k][1];
    int kind = IMAGES[k][2];
    RgbImage img = RgbImage.blank(w, h);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = switch (kind) {
            case 0 -> (float) (((3 * x + 5 * y + 7 * c) % 11) / 10.0);
            case 1 -> (float) (((x * x + 2 * y + 3 * c) % 13) / 12.0);
            default -> (float) (((x + 16 * y + 40 * c) % 256) / 255.0);
          };
          img.set(c, y, x, v);
        }
      }
    }
    return img;
  }

  /** The script's checksum: sum of v[i] * ((i mod 97) + 1). */
  static double checksum(float[] values) {
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      sum += values[i] * ((i % 97) + 1.0);
    }
    return sum;
  }

  /** Copies the fixture directory, so a test can tamper with it. */
  static Path copyTo(Path target) throws IOException {
    try (var files = Files.list(dir())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, target.resolve(f.getFileName().toString()));
      }
    }
    return target;
  }
}
