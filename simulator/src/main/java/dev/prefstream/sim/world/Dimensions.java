package dev.prefstream.sim.world;

/**
 * The oracle's three quality dimensions of one image, each in [0, 1] (higher is better).
 *
 * @param alignment how well the image shows what the prompt asks for
 * @param aesthetics clean flat regions and contrast between object and background
 * @param detail sharpness of the object's edges
 */
public record Dimensions(double alignment, double aesthetics, double detail) {

  public Dimensions {
    check("alignment", alignment);
    check("aesthetics", aesthetics);
    check("detail", detail);
  }

  private static void check(String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1]: " + v);
    }
  }
}
