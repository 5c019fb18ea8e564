package dev.prefstream.sim.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A population of simulated users. Its true preference for a pair is the mean over users of each
 * user's Bradley-Terry probability of preferring A; a single user's vote can disagree with it (through
 * its own weights or its temperature), which is the label noise of METHOD.md section 4.
 *
 * @param voters the users, indexed by position
 */
public record VoterPopulation(List<Voter> voters) {

  public VoterPopulation {
    voters = List.copyOf(voters);
    if (voters.isEmpty()) {
      throw new IllegalArgumentException("a population needs at least one voter");
    }
  }

  /** Samples a population; the same config and seed always give the same users. */
  public static VoterPopulation sample(PopulationConfig config, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Voter> voters = new ArrayList<>(config.size());
    for (int i = 0; i < config.size(); i++) {
      double[] w = Distributions.dirichlet(rng, config.alphaAlignment(), config.alphaAesthetics(), config.alphaDetail());
      double temperature = config.temperature() * Math.exp(config.temperatureSpread() * rng.nextGaussian());
      voters.add(new Voter(userId(i), DimensionWeights.normalized(w[0], w[1], w[2]), temperature,
          config.tieMargin()));
    }
    return new VoterPopulation(voters);
  }

  /** The id of the i-th sampled user, e.g. {@code sim-user-0007}. */
  public static String userId(int index) {
    return String.format(Locale.ROOT, "sim-user-%04d", index);
  }

  /** The number of users. */
  public int size() {
    return voters.size();
  }

  /** The users' mean weights. */
  public DimensionWeights meanWeights() {
    double a = 0;
    double e = 0;
    double d = 0;
    for (Voter v : voters) {
      a += v.weights().alignment();
      e += v.weights().aesthetics();
      d += v.weights().detail();
    }
    return DimensionWeights.normalized(a, e, d);
  }

  /** The population's probability of preferring A: the mean over users of their P(A). */
  public double truePreference(Dimensions a, Dimensions b) {
    double sum = 0;
    for (Voter v : voters) {
      sum += v.probabilityA(a, b);
    }
    return Math.min(1, Math.max(0, sum / voters.size()));
  }

  /** The vote of user {@code index} on (A, B). */
  public SimulatedVote vote(int index, Dimensions a, Dimensions b, RandomGenerator rng) {
    Voter voter = voters.get(index);
    return new SimulatedVote(voter.id(), voter.choose(a, b, rng), truePreference(a, b));
  }

  /** The vote of a user drawn uniformly from the population. */
  public SimulatedVote voteByRandomUser(Dimensions a, Dimensions b, RandomGenerator rng) {
    return vote(rng.nextInt(voters.size()), a, b, rng);
  }
}
