package dev.prefstream.sim.world;

/**
 * Everything the {@link Oracle} measured on one image: the three dimensions, their weighted overall
 * score, and the parts they were built from (useful to see why an image scored as it did).
 *
 * @param dimensions alignment, aesthetics and detail, each in [0, 1]
 * @param overall the oracle's weighted mean of the dimensions, in [0, 1]
 * @param alignmentParts the five checks whose mean is the alignment
 * @param flatness cleanliness of the flat regions in [0, 1], half of the aesthetics
 * @param contrast object-to-background contrast in [0, 1], the other half of the aesthetics
 * @param edgeWidth the object's mean edge transition width in pixels (0 for a hard edge, infinite when no object was found)
 */
public record OracleReading(
    Dimensions dimensions, double overall, AlignmentParts alignmentParts, double flatness, double contrast,
    double edgeWidth) {

  /**
   * The checks behind the alignment, each in [0, 1].
   *
   * @param objectColor the measured object colour against the prompt's colour
   * @param backgroundColor the measured background colour against the prompt's background
   * @param shape the object's moment signature (spread, kurtosis, corner mass, skew) against the prompt's shape
   * @param position the object's centroid against the prompt's position
   * @param size the object's area against the area the prompt's size and shape imply
   */
  public record AlignmentParts(double objectColor, double backgroundColor, double shape, double position, double size) {

    /** The alignment: the mean of the five checks. */
    public double mean() {
      return (objectColor + backgroundColor + shape + position + size) / 5;
    }
  }
}
