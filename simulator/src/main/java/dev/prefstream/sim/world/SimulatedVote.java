package dev.prefstream.sim.world;

import java.util.Objects;

/**
 * One simulated user's vote on a pair, with the population's true preference for the pair, so label
 * noise is measurable vote by vote.
 *
 * @param userId the voting user's id
 * @param choice A, B or TIE
 * @param truePreferenceA the population's probability of preferring A (see
 *     {@link VoterPopulation#truePreference})
 */
public record SimulatedVote(String userId, Choice choice, double truePreferenceA) {

  public SimulatedVote {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(choice, "choice");
    if (!(truePreferenceA >= 0 && truePreferenceA <= 1)) {
      throw new IllegalArgumentException("true preference must be in [0, 1]: " + truePreferenceA);
    }
  }

  /** Whether the vote picks the side the population does not prefer; a tie never disagrees. */
  public boolean disagreesWithTruth() {
    return choice == Choice.A && truePreferenceA < 0.5 || choice == Choice.B && truePreferenceA > 0.5;
  }
}
