package dev.prefstream.sim.world;

/**
 * How to sample a {@link VoterPopulation}: each user's weights are drawn from a Dirichlet with the
 * given concentrations (large and equal: everyone weighs the dimensions alike; small: each user cares
 * mostly about one dimension), and its temperature is log-normal around {@code temperature}.
 *
 * @param size number of users
 * @param alphaAlignment Dirichlet concentration of the alignment weight
 * @param alphaAesthetics Dirichlet concentration of the aesthetics weight
 * @param alphaDetail Dirichlet concentration of the detail weight
 * @param temperature the median user temperature (Bradley-Terry scale of utility differences)
 * @param temperatureSpread standard deviation of log(temperature) across users; 0 gives all the same
 * @param tieMargin every user's tie margin on utility differences
 */
public record PopulationConfig(
    int size, double alphaAlignment, double alphaAesthetics, double alphaDetail, double temperature,
    double temperatureSpread, double tieMargin) {

  public PopulationConfig {
    if (size <= 0) {
      throw new IllegalArgumentException("population size must be positive: " + size);
    }
    if (!(alphaAlignment > 0 && alphaAesthetics > 0 && alphaDetail > 0)) {
      throw new IllegalArgumentException("Dirichlet concentrations must be positive");
    }
    if (!(temperature > 0) || !(temperatureSpread >= 0) || !(tieMargin >= 0)) {
      throw new IllegalArgumentException(
          "need temperature > 0, spread >= 0, tie margin >= 0: " + temperature + ", " + temperatureSpread
              + ", " + tieMargin);
    }
  }

  /** 100 users, Dirichlet(1, 1, 1) weights, temperature 0.05 with spread 0.3, tie margin 0.01. */
  public static PopulationConfig defaults() {
    return new PopulationConfig(100, 1, 1, 1, 0.05, 0.3, 0.01);
  }

  /** This configuration with another median temperature. */
  public PopulationConfig withTemperature(double newTemperature) {
    return new PopulationConfig(size, alphaAlignment, alphaAesthetics, alphaDetail, newTemperature,
        temperatureSpread, tieMargin);
  }
}
