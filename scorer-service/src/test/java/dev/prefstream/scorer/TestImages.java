package dev.prefstream.scorer;

import dev.prefstream.core.image.RgbImage;
import java.util.Random;

/** Images the tests construct, and the degradations they compare against. */
public final class TestImages {
  private TestImages() {}

  public static RgbImage solid(int w, int h, float r, float g, float b) {
    RgbImage img = RgbImage.blank(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.set(0, y, x, r);
        img.set(1, y, x, g);
        img.set(2, y, x, b);
      }
    }
    return img;
  }

  /** A disc of colour {@code fg} centred at (cx, cy) on a {@code bg} background. */
  public static RgbImage disc(int w, int h, int cx, int cy, int radius, float[] fg, float[] bg) {
    RgbImage img = solid(w, h, bg[0], bg[1], bg[2]);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) {
          for (int c = 0; c < 3; c++) {
            img.set(c, y, x, fg[c]);
          }
        }
      }
    }
    return img;
  }

  /** Random coloured texture with hard edges: sharp, colourful and contrasty. */
  public static RgbImage texture(int w, int h, long seed) {
    Random rnd = new Random(seed);
    RgbImage img = RgbImage.blank(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean on = ((x / 2) + (y / 2)) % 2 == 0;
        for (int c = 0; c < 3; c++) {
          img.set(c, y, x, on ? 0.6f + 0.4f * rnd.nextFloat() : 0.4f * rnd.nextFloat());
        }
      }
    }
    return img;
  }

  /** Box blur with the given radius, clamped at the borders. */
  public static RgbImage blur(RgbImage src, int radius) {
    RgbImage out = RgbImage.blank(src.width(), src.height());
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < src.height(); y++) {
        for (int x = 0; x < src.width(); x++) {
          float sum = 0;
          int n = 0;
          for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
              int yy = Math.min(src.height() - 1, Math.max(0, y + dy));
              int xx = Math.min(src.width() - 1, Math.max(0, x + dx));
              sum += src.get(c, yy, xx);
              n++;
            }
          }
          out.set(c, y, x, sum / n);
        }
      }
    }
    return out;
  }

  /** Every pixel replaced by its luma in all three channels. */
  public static RgbImage greyscale(RgbImage src) {
    RgbImage out = RgbImage.blank(src.width(), src.height());
    for (int y = 0; y < src.height(); y++) {
      for (int x = 0; x < src.width(); x++) {
        float l = src.luma(y, x);
        for (int c = 0; c < 3; c++) {
          out.set(c, y, x, l);
        }
      }
    }
    return out;
  }

  /** Pulls every value towards mid-grey: v' = 0.5 + keep * (v - 0.5). */
  public static RgbImage washOut(RgbImage src, float keep) {
    RgbImage out = src.copy();
    float[] v = out.chw();
    for (int i = 0; i < v.length; i++) {
      v[i] = 0.5f + keep * (v[i] - 0.5f);
    }
    return out;
  }
}
