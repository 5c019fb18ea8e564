package dev.prefstream.sim.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class VoterPopulationTest {

  private static Dimensions randomDimensions(RandomGenerator rng) {
    return new Dimensions(rng.nextDouble(), rng.nextDouble(), rng.nextDouble());
  }

  private static VoterPopulation uniformPopulation(DimensionWeights weights, double temperature, double tieMargin) {
    List<Voter> voters = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      voters.add(new Voter(VoterPopulation.userId(i), weights, temperature, tieMargin));
    }
    return new VoterPopulation(voters);
  }

  /** Fraction of non-tie votes of random users on random pairs that disagree with the true preference. */
  private static double noiseRate(VoterPopulation population, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int disagreements = 0;
    int decided = 0;
    for (int i = 0; i < 20_000; i++) {
      SimulatedVote vote = population.voteByRandomUser(randomDimensions(rng), randomDimensions(rng), rng);
      if (vote.choice() != Choice.TIE) {
        decided++;
        disagreements += vote.disagreesWithTruth() ? 1 : 0;
      }
    }
    return disagreements / (double) decided;
  }

  @Test
  void sampledWeightsSumToOne() {
    VoterPopulation population = VoterPopulation.sample(PopulationConfig.defaults(), 1);
    assertEquals(100, population.size());
    for (Voter v : population.voters()) {
      DimensionWeights w = v.weights();
      assertEquals(1, w.alignment() + w.aesthetics() + w.detail(), 1e-9);
      assertTrue(v.temperature() > 0);
    }
  }

  @Test
  void populationIsDeterministicGivenTheSeed() {
    PopulationConfig config = PopulationConfig.defaults();
    assertEquals(VoterPopulation.sample(config, 42), VoterPopulation.sample(config, 42));
    assertNotEquals(VoterPopulation.sample(config, 42), VoterPopulation.sample(config, 43));

    VoterPopulation population = VoterPopulation.sample(config, 42);
    List<SimulatedVote> first = votes(population, 7);
    assertEquals(first, votes(population, 7));
    assertNotEquals(first, votes(population, 8));
  }

  private static List<SimulatedVote> votes(VoterPopulation population, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<SimulatedVote> out = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      out.add(population.voteByRandomUser(randomDimensions(rng), randomDimensions(rng), rng));
    }
    return out;
  }

  @Test
  void singleDimensionPopulationVotesByThatDimension() {
    SplittableRandom rng = new SplittableRandom(3);
    VoterPopulation aligners = uniformPopulation(new DimensionWeights(1, 0, 0), 0.001, 0.01);
    VoterPopulation detailers = uniformPopulation(new DimensionWeights(0, 0, 1), 0.001, 0.01);
    for (int i = 0; i < 2000; i++) {
      Dimensions a = randomDimensions(rng);
      Dimensions b = randomDimensions(rng);
      assertEquals(expected(a.alignment(), b.alignment()), aligners.voteByRandomUser(a, b, rng).choice(), a + " vs " + b);
      assertEquals(expected(a.detail(), b.detail()), detailers.voteByRandomUser(a, b, rng).choice(), a + " vs " + b);
    }
  }

  private static Choice expected(double a, double b) {
    return Math.abs(a - b) < 0.01 ? Choice.TIE : a > b ? Choice.A : Choice.B;
  }

  @Test
  void labelNoiseRisesWithTemperature() {
    double previous = -1;
    for (double temperature : new double[] {0.005, 0.05, 0.2, 1.0}) {
      PopulationConfig config = PopulationConfig.defaults().withTemperature(temperature);
      double noise = noiseRate(VoterPopulation.sample(config, 5), 6);
      assertTrue(noise > previous + 0.02, "temperature " + temperature + ": noise " + noise + " after " + previous);
      previous = noise;
    }
    assertTrue(previous > 0.35, "at a high temperature votes are close to coin flips: " + previous);
  }

  @Test
  void diverseTastesAloneMakeNoise() {
    // Nearly deterministic voters still disagree with the population when their weights differ.
    PopulationConfig diverse = new PopulationConfig(100, 0.2, 0.2, 0.2, 0.001, 0, 0);
    PopulationConfig alike = new PopulationConfig(100, 500, 500, 500, 0.001, 0, 0);
    double diverseNoise = noiseRate(VoterPopulation.sample(diverse, 9), 10);
    double alikeNoise = noiseRate(VoterPopulation.sample(alike, 9), 10);
    assertTrue(diverseNoise > 0.1, "diverse tastes: " + diverseNoise);
    assertTrue(alikeNoise < 0.02, "alike tastes: " + alikeNoise);
  }

  @Test
  void truePreferenceIsTheMeanOfTheUsersProbabilities() {
    Voter alignment = new Voter("u1", new DimensionWeights(1, 0, 0), 0.1, 0);
    Voter aesthetics = new Voter("u2", new DimensionWeights(0, 1, 0), 0.1, 0);
    VoterPopulation population = new VoterPopulation(List.of(alignment, aesthetics));
    Dimensions a = new Dimensions(0.9, 0.2, 0.5);
    Dimensions b = new Dimensions(0.5, 0.4, 0.5);
    double expected = (Distributions.sigmoid(4) + Distributions.sigmoid(-2)) / 2;
    assertEquals(expected, population.truePreference(a, b), 1e-12);
    assertEquals(1 - expected, population.truePreference(b, a), 1e-12);
    assertEquals(0.5, population.truePreference(a, a), 1e-12);
    assertEquals(new DimensionWeights(0.5, 0.5, 0), population.meanWeights());
  }

  @Test
  void voteCarriesTheUserAndTheTruth() {
    VoterPopulation population = VoterPopulation.sample(PopulationConfig.defaults(), 4);
    Dimensions a = new Dimensions(0.9, 0.9, 0.9);
    Dimensions b = new Dimensions(0.1, 0.1, 0.1);
    SimulatedVote vote = population.vote(17, a, b, new SplittableRandom(1));
    assertEquals("sim-user-0017", vote.userId());
    assertEquals(population.truePreference(a, b), vote.truePreferenceA(), 0);
    assertTrue(vote.truePreferenceA() > 0.99);
    assertEquals(Choice.A, vote.choice());
    assertFalse(vote.disagreesWithTruth());
    assertTrue(new SimulatedVote("u", Choice.B, 0.8).disagreesWithTruth());
    assertFalse(new SimulatedVote("u", Choice.TIE, 0.8).disagreesWithTruth());
  }

  @Test
  void smallUtilityDifferencesAreTies() {
    Voter voter = new Voter("u", DimensionWeights.EQUAL, 0.05, 0.05);
    RandomGenerator rng = new SplittableRandom(2);
    assertEquals(Choice.TIE, voter.choose(new Dimensions(0.5, 0.5, 0.5), new Dimensions(0.54, 0.54, 0.54), rng));
    assertNotEquals(Choice.TIE, voter.choose(new Dimensions(0.5, 0.5, 0.5), new Dimensions(0.7, 0.7, 0.7), rng));
  }
}
