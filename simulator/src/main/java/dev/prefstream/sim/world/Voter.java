package dev.prefstream.sim.world;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A simulated user. Its utility for an image is {@code u = weights . dimensions}; on a pair it ties
 * when {@code |u_A - u_B| < tieMargin} and otherwise picks A with the Bradley-Terry probability
 * {@code sigmoid((u_A - u_B) / temperature)}.
 *
 * @param id the user id carried by its votes
 * @param weights how much the user cares about each dimension
 * @param temperature how noisy its choices are (positive; small is nearly deterministic)
 * @param tieMargin utility differences below this are ties (non-negative)
 */
public record Voter(String id, DimensionWeights weights, double temperature, double tieMargin) {

  public Voter {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(weights, "weights");
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be positive and finite: " + temperature);
    }
    if (!(tieMargin >= 0)) {
      throw new IllegalArgumentException("tie margin must be >= 0: " + tieMargin);
    }
  }

  /** The user's utility for an image with dimensions {@code d}. */
  public double utility(Dimensions d) {
    return weights.dot(d);
  }

  /** The Bradley-Terry probability that this user prefers A over B (ties aside). */
  public double probabilityA(Dimensions a, Dimensions b) {
    return Distributions.sigmoid((utility(a) - utility(b)) / temperature);
  }

  /** This user's vote on the pair (A, B), drawing its randomness from {@code rng}. */
  public Choice choose(Dimensions a, Dimensions b, RandomGenerator rng) {
    if (Math.abs(utility(a) - utility(b)) < tieMargin) {
      return Choice.TIE;
    }
    return rng.nextDouble() < probabilityA(a, b) ? Choice.A : Choice.B;
  }
}
