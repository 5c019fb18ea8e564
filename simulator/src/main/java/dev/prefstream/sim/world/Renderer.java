package dev.prefstream.sim.world;

import dev.prefstream.core.image.RgbImage;

/**
 * Draws the ideal image of a prompt: a flat background and the shape in its colour, size and position,
 * with edges anti-aliased by supersampling each pixel on an 8x8 grid.
 *
 * @param width image width in pixels
 * @param height image height in pixels
 */
public record Renderer(int width, int height) {

  /** The project's default image side. */
  public static final int DEFAULT_SIDE = 32;

  private static final int SUPERSAMPLING = 8;

  public Renderer {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
  }

  /** A renderer of {@value #DEFAULT_SIDE}x{@value #DEFAULT_SIDE} images. */
  public static Renderer defaultSize() {
    return new Renderer(DEFAULT_SIDE, DEFAULT_SIDE);
  }

  /** The ideal image of {@code prompt}. */
  public RgbImage render(Prompt prompt) {
    double[] fg = prompt.color().rgb();
    double[] bg = prompt.background().rgb();
    double radius = prompt.size().radius() * Math.min(width, height);
    double cx = prompt.position().x() * width;
    double cy = prompt.position().y() * height;
    RgbImage image = RgbImage.blank(width, height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double cover = coverage(prompt.shape(), x, y, cx, cy, radius);
        for (int c = 0; c < 3; c++) {
          image.set(c, y, x, (float) (bg[c] + cover * (fg[c] - bg[c])));
        }
      }
    }
    return image;
  }

  /** The fraction of pixel (x, y) inside the shape centred at (cx, cy) in pixel coordinates. */
  private static double coverage(Shape shape, int x, int y, double cx, double cy, double radius) {
    double reach = 1.5 * radius + 1;
    if (Math.abs(x + 0.5 - cx) > reach || Math.abs(y + 0.5 - cy) > reach) {
      return 0;
    }
    int inside = 0;
    for (int sy = 0; sy < SUPERSAMPLING; sy++) {
      double v = (y + (sy + 0.5) / SUPERSAMPLING - cy) / radius;
      for (int sx = 0; sx < SUPERSAMPLING; sx++) {
        double u = (x + (sx + 0.5) / SUPERSAMPLING - cx) / radius;
        if (shape.contains(u, v)) {
          inside++;
        }
      }
    }
    return inside / (double) (SUPERSAMPLING * SUPERSAMPLING);
  }
}
