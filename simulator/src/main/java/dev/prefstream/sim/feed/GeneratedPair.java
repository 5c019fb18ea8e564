package dev.prefstream.sim.feed;

import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.sim.world.Dimensions;
import dev.prefstream.sim.world.Prompt;
import java.util.List;

/**
 * One generated pair: the prompt, both stored images with their oracle dimensions, the population's
 * true preference and the simulated users' votes.
 *
 * @param pairId the pair id of (prompt, digest A, digest B)
 * @param prompt the prompt both images were sampled for
 * @param imageA image A in the image store
 * @param imageB image B in the image store
 * @param dimensionsA the oracle's dimensions of A
 * @param dimensionsB the oracle's dimensions of B
 * @param truePreferenceA the population's probability of preferring A
 * @param modelVersion the model version that sampled both images
 * @param votes one vote per simulated user, ready for the votes topic
 * @param disagreeing how many of the votes pick the side the population does not prefer
 */
public record GeneratedPair(String pairId, Prompt prompt, ImageRef imageA, ImageRef imageB, Dimensions dimensionsA,
    Dimensions dimensionsB, double truePreferenceA, int modelVersion, List<PreferenceVote> votes, int disagreeing) {

  public GeneratedPair {
    votes = List.copyOf(votes);
  }
}
