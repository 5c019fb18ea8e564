package dev.prefstream.scorer.builtin;

import dev.prefstream.core.image.RgbImage;

/**
 * Colourfulness after Hasler and Suesstrunk (2003): with opponent channels rg = R - G and
 * yb = (R + G) / 2 - B on the 0..255 scale, M = sqrt(sd(rg)^2 + sd(yb)^2) + 0.3 *
 * sqrt(mean(rg)^2 + mean(yb)^2). The paper's reading: about 0 not colourful, 15 slightly, 33
 * moderately, 45 averagely, 59 quite, 82 highly, 109 extremely colourful.
 *
 * <p>Measures: saturated, varied colour, which raters of generated images tend to prefer. Misses:
 * whether the colours are right for the prompt or pleasant together (garish clipping scores well),
 * and a deliberately muted or monochrome image is penalised. Prompt is ignored.
 */
public final class ColorfulnessScorer extends PixelScorer {
  public static final String NAME = "colorfulness";
  public static final String VERSION = "1";

  public ColorfulnessScorer() {
    super(NAME, VERSION);
  }

  @Override
  public boolean usesPrompt() {
    return false;
  }

  @Override
  double score(RgbImage image, String prompt) {
    float[] chw = image.chw();
    int n = image.width() * image.height();
    double sumRg = 0;
    double sumRgSq = 0;
    double sumYb = 0;
    double sumYbSq = 0;
    for (int i = 0; i < n; i++) {
      float r = chw[i];
      float g = chw[n + i];
      float b = chw[2 * n + i];
      double rg = r - g;
      double yb = 0.5 * (r + g) - b;
      sumRg += rg;
      sumRgSq += rg * rg;
      sumYb += yb;
      sumYbSq += yb * yb;
    }
    double meanRg = sumRg / n;
    double meanYb = sumYb / n;
    double varRg = Math.max(0, sumRgSq / n - meanRg * meanRg);
    double varYb = Math.max(0, sumYbSq / n - meanYb * meanYb);
    double m = Math.sqrt(varRg + varYb) + 0.3 * Math.sqrt(meanRg * meanRg + meanYb * meanYb);
    return 255 * m;
  }
}
