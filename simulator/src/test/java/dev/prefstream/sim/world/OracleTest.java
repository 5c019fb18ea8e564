package dev.prefstream.sim.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.image.RgbImage;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OracleTest {

  private static final Renderer RENDERER = Renderer.defaultSize();
  private static final Oracle ORACLE = Oracle.equalWeights();
  /** Every 37th prompt: a spread of sizes, colours, shapes, positions and backgrounds. */
  private static final List<Prompt> SAMPLE =
      IntStream.range(0, Prompt.all().size()).filter(i -> i % 37 == 0).mapToObj(Prompt.all()::get).toList();

  private static Dimensions measure(Prompt prompt, RgbImage image) {
    return ORACLE.measure(prompt, image);
  }

  /** Asserts that, for every sampled prompt, the defect lowers the dimension by at least {@code margin}. */
  private static void assertDrops(String defect, ToDoubleFunction<Dimensions> dimension, double margin,
      BiFunction<Prompt, RgbImage, RgbImage> degrade) {
    for (Prompt p : SAMPLE) {
      RgbImage ideal = RENDERER.render(p);
      double before = dimension.applyAsDouble(measure(p, ideal));
      double after = dimension.applyAsDouble(measure(p, degrade.apply(p, ideal)));
      assertTrue(before - after >= margin, defect + " on \"" + p + "\": " + before + " -> " + after);
    }
  }

  @Test
  void idealRendersScoreHighOnEveryDimension() {
    for (Prompt p : SAMPLE) {
      OracleReading r = ORACLE.read(p, RENDERER.render(p));
      assertTrue(r.dimensions().alignment() > 0.9, p + ": " + r);
      // contrast, half of the aesthetics, depends on how far apart the prompt's two colours are
      assertTrue(r.dimensions().aesthetics() > 0.8, p + ": " + r);
      assertTrue(r.dimensions().detail() > 0.95, p + ": " + r);
      assertTrue(r.overall() > 0.85, p + ": " + r);
    }
  }

  @Test
  void wrongObjectColourLowersAlignment() {
    SplittableRandom rng = new SplittableRandom(1);
    assertDrops("wrong colour", Dimensions::alignment, 0.15,
        (p, ideal) -> RENDERER.render(Defects.wrongObjectColor(p, rng)));
  }

  @Test
  void wrongBackgroundLowersAlignment() {
    SplittableRandom rng = new SplittableRandom(2);
    assertDrops("wrong background", Dimensions::alignment, 0.15,
        (p, ideal) -> RENDERER.render(Defects.wrongBackground(p, rng)));
  }

  @Test
  void wrongPositionLowersAlignment() {
    assertDrops("wrong position", Dimensions::alignment, 0.15, (p, ideal) -> RENDERER.render(
        new Prompt(p.size(), p.color(), p.shape(), next(Position.values(), p.position()), p.background())));
  }

  @Test
  void wrongSizeLowersAlignment() {
    assertDrops("wrong size", Dimensions::alignment, 0.15, (p, ideal) -> RENDERER.render(
        new Prompt(next(ObjectSize.values(), p.size()), p.color(), p.shape(), p.position(), p.background())));
  }

  @Test
  void wrongShapeLowersAlignment() {
    for (Prompt p : SAMPLE) {
      OracleReading ideal = ORACLE.read(p, RENDERER.render(p));
      for (Shape other : Shape.values()) {
        if (other != p.shape()) {
          Prompt q = new Prompt(p.size(), p.color(), other, p.position(), p.background());
          OracleReading r = ORACLE.read(p, RENDERER.render(q));
          assertTrue(ideal.alignmentParts().shape() - r.alignmentParts().shape() > 0.3,
              p + " drawn as " + other + ": " + r);
          assertTrue(r.dimensions().alignment() < ideal.dimensions().alignment() - 0.05,
              p + " drawn as " + other + ": " + r);
        }
      }
    }
  }

  @Test
  void noiseLowersAesthetics() {
    SplittableRandom rng = new SplittableRandom(3);
    assertDrops("noise", Dimensions::aesthetics, 0.2, (p, ideal) -> Defects.noise(ideal, 0.05, rng));
  }

  @Test
  void lowContrastLowersAesthetics() {
    assertDrops("low contrast", Dimensions::aesthetics, 0.05, (p, ideal) -> Defects.lowContrast(ideal, 0.3));
  }

  @Test
  void blurLowersDetail() {
    assertDrops("blur", Dimensions::detail, 0.3, (p, ideal) -> Defects.blur(ideal, 1.0));
  }

  @Test
  void moreBlurMeansLessDetail() {
    Prompt p = Prompt.parse("a large green diamond at the center on a white background");
    RgbImage ideal = RENDERER.render(p);
    double previous = measure(p, ideal).detail();
    for (double sigma : new double[] {0.5, 1.0, 1.5, 2.5}) {
      double detail = measure(p, Defects.blur(ideal, sigma)).detail();
      assertTrue(detail < previous, "sigma " + sigma + ": " + detail + " vs " + previous);
      previous = detail;
    }
  }

  @Test
  void colourDefectsLeaveAestheticsAndDetailAlone() {
    SplittableRandom rng = new SplittableRandom(4);
    for (Prompt p : SAMPLE) {
      Dimensions ideal = measure(p, RENDERER.render(p));
      Dimensions wrong = measure(p, RENDERER.render(Defects.wrongObjectColor(p, rng)));
      assertEquals(1.0, wrong.detail(), 0.05, p.toString());
      assertEquals(ideal.detail(), wrong.detail(), 0.05, p.toString());
      assertTrue(wrong.aesthetics() > 0.8, p + ": " + wrong);
    }
  }

  @Test
  void staysFiniteAndInRangeOnImperfectImages() {
    SplittableRandom rng = new SplittableRandom(5);
    Prompt p = Prompt.parse("a small orange triangle at the bottom left on a purple background");
    RgbImage ideal = RENDERER.render(p);
    float[] withNaN = ideal.chw().clone();
    withNaN[100] = Float.NaN;
    withNaN[2000] = Float.POSITIVE_INFINITY;
    withNaN[3000] = -4f;
    float[] uniformNoise = new float[3 * 32 * 32];
    for (int i = 0; i < uniformNoise.length; i++) {
      uniformNoise[i] = (float) rng.nextDouble();
    }
    List<RgbImage> images = List.of(
        Defects.noise(Defects.blur(ideal, 2.0), 0.1, rng),
        Defects.blur(Defects.lowContrast(ideal, 0.1), 3.0),
        new RgbImage(32, 32, uniformNoise),
        RgbImage.blank(32, 32),
        new RgbImage(32, 32, filled(3 * 32 * 32, 1f)),
        new RgbImage(32, 32, withNaN),
        RgbImage.blank(1, 1),
        new RgbImage(3, 2, filled(18, 0.5f)),
        new Renderer(7, 5).render(p));
    for (RgbImage image : images) {
      OracleReading r = ORACLE.read(p, image);
      Dimensions d = r.dimensions();
      for (double v : new double[] {d.alignment(), d.aesthetics(), d.detail(), r.overall(), r.flatness(), r.contrast()}) {
        assertTrue(v >= 0 && v <= 1, image + ": " + r);
      }
    }
  }

  @Test
  void overallFallsAsSmoothNoisyImagesDegrade() {
    // the kind of output a small diffusion model gives: soft edges and residual noise, in steps
    SplittableRandom rng = new SplittableRandom(7);
    for (Prompt p : SAMPLE.subList(0, 40)) {
      RgbImage ideal = RENDERER.render(p);
      double previous = ORACLE.read(p, ideal).overall();
      for (double severity : new double[] {0.5, 1.0, 2.0}) {
        RgbImage degraded = Defects.noise(Defects.blur(ideal, severity), 0.03 * severity, rng);
        double overall = ORACLE.read(p, degraded).overall();
        assertTrue(overall < previous, p + " at severity " + severity + ": " + overall + " vs " + previous);
        previous = overall;
      }
    }
  }

  @Test
  void imageWithoutAnObjectScoresNoAlignmentBeyondItsBackground() {
    Prompt p = Prompt.parse("a large red square at the center on a blue background");
    float[] blue = new float[3 * 32 * 32];
    double[] rgb = PaletteColor.BLUE.rgb();
    for (int c = 0; c < 3; c++) {
      Arrays.fill(blue, c * 1024, (c + 1) * 1024, (float) rgb[c]);
    }
    OracleReading r = ORACLE.read(p, new RgbImage(32, 32, blue));
    assertEquals(0.2, r.dimensions().alignment(), 1e-6, r.toString());
    assertEquals(0.0, r.dimensions().detail(), 1e-9);
    assertEquals(1.0, r.flatness(), 1e-9);
  }

  @Test
  void overallMixesTheDimensionsByTheOraclesWeights() {
    Dimensions d = new Dimensions(0.9, 0.3, 0.6);
    assertEquals(0.6, Oracle.equalWeights().overall(d), 1e-12);
    assertEquals(0.9, new Oracle(new DimensionWeights(1, 0, 0)).overall(d), 1e-12);
    assertEquals(0.5 * 0.3 + 0.5 * 0.6, new Oracle(DimensionWeights.normalized(0, 2, 2)).overall(d), 1e-12);
  }

  @Test
  void isDeterministic() {
    Prompt p = Prompt.parse("a small white cross at the right on a black background");
    RgbImage noisy = Defects.noise(RENDERER.render(p), 0.05, new SplittableRandom(6));
    assertEquals(ORACLE.read(p, noisy).dimensions(), ORACLE.read(p, noisy.copy()).dimensions());
  }

  private static <T> T next(T[] values, T current) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == current) {
        return values[(i + 1) % values.length];
      }
    }
    throw new IllegalArgumentException(String.valueOf(current));
  }

  private static float[] filled(int n, float v) {
    float[] out = new float[n];
    Arrays.fill(out, v);
    return out;
  }
}
