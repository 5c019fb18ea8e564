package dev.prefstream.sim.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.image.RgbImage;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RendererTest {

  private static final Renderer RENDERER = Renderer.defaultSize();

  private static Prompt prompt(ObjectSize size, Shape shape, Position position) {
    return new Prompt(size, PaletteColor.RED, shape, position, PaletteColor.BLUE);
  }

  private static void assertColor(PaletteColor expected, RgbImage image, int x, int y) {
    double[] rgb = expected.rgb();
    for (int c = 0; c < 3; c++) {
      assertEquals(rgb[c], image.get(c, y, x), 1e-6, expected + " channel " + c + " at (" + x + ", " + y + ")");
    }
  }

  /** Mass and centroid of the red-ness (alpha) of a red-on-blue image. */
  private static double[] alphaMoments(RgbImage image) {
    double m = 0;
    double mx = 0;
    double my = 0;
    double bg = PaletteColor.BLUE.rgb()[0];
    double fg = PaletteColor.RED.rgb()[0];
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        double a = (image.get(0, y, x) - bg) / (fg - bg);
        m += a;
        mx += a * (x + 0.5);
        my += a * (y + 0.5);
      }
    }
    return new double[] {m, mx / m, my / m};
  }

  @Test
  void drawsTheObjectColourAtItsCentreAndTheBackgroundAtTheCorners() {
    for (Shape shape : Shape.values()) {
      for (Position position : Position.values()) {
        RgbImage image = RENDERER.render(prompt(ObjectSize.LARGE, shape, position));
        int cx = (int) (position.x() * image.width());
        int cy = (int) (position.y() * image.height());
        assertColor(PaletteColor.RED, image, cx, cy);
        assertColor(PaletteColor.BLUE, image, 0, 0);
        assertColor(PaletteColor.BLUE, image, 31, 0);
        assertColor(PaletteColor.BLUE, image, 0, 31);
        assertColor(PaletteColor.BLUE, image, 31, 31);
      }
    }
  }

  @Test
  void objectCentroidSitsAtThePromptsPosition() {
    for (Shape shape : Shape.values()) {
      for (Position position : Position.values()) {
        double[] m = alphaMoments(RENDERER.render(prompt(ObjectSize.SMALL, shape, position)));
        assertEquals(position.x() * 32, m[1], 0.15, shape + " at " + position);
        assertEquals(position.y() * 32, m[2], 0.15, shape + " at " + position);
      }
    }
  }

  @Test
  void objectAreaFollowsSizeAndShape() {
    for (Shape shape : Shape.values()) {
      for (ObjectSize size : ObjectSize.values()) {
        double[] m = alphaMoments(RENDERER.render(prompt(size, shape, Position.CENTER)));
        double side = size.radius() * 32;
        assertEquals(shape.area() * side * side, m[0], 0.05 * m[0], shape + " " + size);
      }
      double small = alphaMoments(RENDERER.render(prompt(ObjectSize.SMALL, shape, Position.CENTER)))[0];
      double large = alphaMoments(RENDERER.render(prompt(ObjectSize.LARGE, shape, Position.CENTER)))[0];
      assertTrue(large > 2.5 * small, shape + ": large " + large + " vs small " + small);
    }
  }

  @Test
  void edgesAreAntiAliased() {
    RgbImage image = RENDERER.render(prompt(ObjectSize.LARGE, Shape.CIRCLE, Position.CENTER));
    int partial = 0;
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        float r = image.get(0, y, x);
        if (r > 0.15f && r < 0.8f) {
          partial++;
        }
      }
    }
    assertTrue(partial >= 20, "anti-aliased edge pixels: " + partial);
  }

  @Test
  void rendersAtAConfigurableSize() {
    RgbImage image = new Renderer(64, 48).render(prompt(ObjectSize.LARGE, Shape.SQUARE, Position.RIGHT));
    assertEquals(64, image.width());
    assertEquals(48, image.height());
    assertColor(PaletteColor.RED, image, (int) (0.72 * 64), 24);
    assertColor(PaletteColor.BLUE, image, 10, 24);
  }

  @Test
  void wrongColourDefectsChangeOnlyTheirColour() {
    SplittableRandom rng = new SplittableRandom(3);
    Prompt p = prompt(ObjectSize.SMALL, Shape.CROSS, Position.TOP);
    for (int i = 0; i < 50; i++) {
      Prompt object = Defects.wrongObjectColor(p, rng);
      assertNotEquals(p.color(), object.color());
      assertEquals(p, new Prompt(p.size(), p.color(), object.shape(), object.position(), object.background()));
      Prompt background = Defects.wrongBackground(p, rng);
      assertNotEquals(p.background(), background.background());
      assertEquals(p, new Prompt(p.size(), background.color(), p.shape(), p.position(), p.background()));
    }
  }

  @Test
  void blurSpreadsTheEdgeAndKeepsTheMean() {
    RgbImage ideal = RENDERER.render(prompt(ObjectSize.LARGE, Shape.SQUARE, Position.CENTER));
    RgbImage blurred = Defects.blur(ideal, 1.5);
    assertEquals(mean(ideal), mean(blurred), 1e-3);
    // just outside the square's left edge, red bleeds into the background
    assertTrue(blurred.get(0, 16, 9) > ideal.get(0, 16, 9) + 0.05);
    assertEquals(ideal, Defects.blur(ideal, 0));
  }

  @Test
  void noiseIsSeededAndHasTheRequestedSpread() {
    RgbImage grey = new RgbImage(32, 32, filled(3 * 32 * 32, 0.5f));
    RgbImage a = Defects.noise(grey, 0.1, new SplittableRandom(9));
    assertEquals(a, Defects.noise(grey, 0.1, new SplittableRandom(9)));
    assertNotEquals(a, Defects.noise(grey, 0.1, new SplittableRandom(10)));
    double var = 0;
    for (float v : a.chw()) {
      var += (v - 0.5) * (v - 0.5);
    }
    assertEquals(0.1, Math.sqrt(var / a.chw().length), 0.01);
    assertEquals(grey, new RgbImage(32, 32, filled(3 * 32 * 32, 0.5f)), "input untouched");
  }

  @Test
  void lowContrastPullsTowardsTheMean() {
    RgbImage ideal = RENDERER.render(prompt(ObjectSize.LARGE, Shape.CIRCLE, Position.CENTER));
    RgbImage flat = Defects.lowContrast(ideal, 0.3);
    double m = mean(ideal);
    assertEquals(m + 0.3 * (ideal.get(0, 16, 16) - m), flat.get(0, 16, 16), 1e-5);
    assertEquals(m + 0.3 * (ideal.get(2, 0, 0) - m), flat.get(2, 0, 0), 1e-5);
    assertThrows(IllegalArgumentException.class, () -> Defects.lowContrast(ideal, 1.5));
  }

  private static double mean(RgbImage image) {
    double s = 0;
    for (float v : image.chw()) {
      s += v;
    }
    return s / image.chw().length;
  }

  private static float[] filled(int n, float v) {
    float[] out = new float[n];
    Arrays.fill(out, v);
    return out;
  }
}
