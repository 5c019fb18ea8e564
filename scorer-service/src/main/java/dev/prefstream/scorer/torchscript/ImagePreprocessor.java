package dev.prefstream.scorer.torchscript;

import dev.prefstream.core.image.RgbImage;

/**
 * Turns an image into a model input the way CLIP-family pipelines do: resize so the shorter side is
 * {@code size} (the longer side to {@code floor(size * long / short)}), centre-crop to
 * {@code size x size} (offset {@code floor((extent - size) / 2)}), then normalise each channel,
 * {@code (v - mean[c]) / std[c]}. Output is float CHW, 3 * size * size values. Immutable and
 * thread-safe.
 */
public final class ImagePreprocessor {
  private final int size;
  private final ResizeFilter filter;
  private final float[] mean;
  private final float[] std;

  /**
   * @param size the square input size of the image encoder
   * @param filter the resampling filter
   * @param mean per-channel mean (R, G, B) of the 0..1 values
   * @param std per-channel standard deviation (R, G, B), positive
   */
  public ImagePreprocessor(int size, ResizeFilter filter, float[] mean, float[] std) {
    if (size <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + size);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values (R, G, B)");
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std values must be positive: " + s);
      }
    }
    this.size = size;
    this.filter = filter;
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /** The square side of the output. */
  public int size() {
    return size;
  }

  /** The number of floats {@link #apply} returns: 3 * size * size. */
  public int length() {
    return 3 * size * size;
  }

  /** Resizes, crops and normalises one image. */
  public float[] apply(RgbImage image) {
    int w = image.width();
    int h = image.height();
    int outW;
    int outH;
    if (h <= w) {
      outH = size;
      outW = (int) ((long) size * w / h);
    } else {
      outW = size;
      outH = (int) ((long) size * h / w);
    }
    float[] resized = resize(image.chw(), w, h, outW, outH);
    int top = (outH - size) / 2;
    int left = (outW - size) / 2;
    float[] out = new float[length()];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < size; y++) {
        int src = (c * outH + top + y) * outW + left;
        int dst = (c * size + y) * size;
        for (int x = 0; x < size; x++) {
          out[dst + x] = (resized[src + x] - mean[c]) / std[c];
        }
      }
    }
    return out;
  }

  private float[] resize(float[] chw, int w, int h, int outW, int outH) {
    if (w == outW && h == outH) {
      return chw;
    }
    Resampler horizontal = Resampler.of(filter, w, outW);
    Resampler vertical = Resampler.of(filter, h, outH);
    float[] tmp = new float[3 * h * outW];
    float[] out = new float[3 * outH * outW];
    for (int c = 0; c < 3; c++) {
      horizontal.rows(chw, c * h * w, h, w, tmp, c * h * outW);
      vertical.columns(tmp, c * h * outW, outW, out, c * outH * outW);
    }
    return out;
  }
}
