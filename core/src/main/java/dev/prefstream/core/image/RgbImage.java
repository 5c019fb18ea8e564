package dev.prefstream.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * An RGB image as floats in [0, 1], stored channel-major (C, H, W) like a tensor, so the scorers,
 * the simulator and the diffusion model share one in-memory form without conversions.
 */
public final class RgbImage {
  private final int width;
  private final int height;
  private final float[] data;

  public RgbImage(int width, int height, float[] chw) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (chw.length != 3 * width * height) {
      throw new IllegalArgumentException("expected " + 3 * width * height + " values, got " + chw.length);
    }
    this.width = width;
    this.height = height;
    this.data = chw;
  }

  public static RgbImage blank(int width, int height) {
    return new RgbImage(width, height, new float[3 * width * height]);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The backing array (C, H, W); callers that mutate it own the consequences. */
  public float[] chw() {
    return data;
  }

  public float get(int c, int y, int x) {
    return data[(c * height + y) * width + x];
  }

  public void set(int c, int y, int x, float v) {
    data[(c * height + y) * width + x] = v;
  }

  /** Luma (Rec. 601) at a pixel. */
  public float luma(int y, int x) {
    return 0.299f * get(0, y, x) + 0.587f * get(1, y, x) + 0.114f * get(2, y, x);
  }

  public RgbImage copy() {
    return new RgbImage(width, height, data.clone());
  }

  public static RgbImage fromBufferedImage(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    float[] out = new float[3 * w * h];
    int plane = w * h;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = img.getRGB(x, y);
        int i = y * w + x;
        out[i] = ((rgb >> 16) & 0xFF) / 255f;
        out[plane + i] = ((rgb >> 8) & 0xFF) / 255f;
        out[2 * plane + i] = (rgb & 0xFF) / 255f;
      }
    }
    return new RgbImage(w, h, out);
  }

  public BufferedImage toBufferedImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int plane = width * height;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        img.setRGB(x, y, (to8(data[i]) << 16) | (to8(data[plane + i]) << 8) | to8(data[2 * plane + i]));
      }
    }
    return img;
  }

  /** Lossless PNG bytes; decoding them gives back this image quantised to 8 bits per channel. */
  public byte[] toPng() {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(toBufferedImage(), "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Decodes PNG (or any format ImageIO reads) bytes. Throws {@link IllegalArgumentException} when the
   * bytes are not an image. Size limits are the image store's job, checked before this is called.
   */
  public static RgbImage decode(byte[] encoded) {
    try {
      BufferedImage img = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded)));
      if (img == null) {
        throw new IllegalArgumentException("not a decodable image (" + encoded.length + " bytes)");
      }
      return fromBufferedImage(img);
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt image: " + e.getMessage(), e);
    }
  }

  private static int to8(float v) {
    return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RgbImage other && other.width == width && other.height == height
        && Arrays.equals(other.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "RgbImage[" + width + "x" + height + "]";
  }
}
