package dev.prefstream.labeler.voting;

/** Where the weighted policy reads voter weights from (a state store in the topology). */
public interface ReliabilityWeights {
  /** The weight of a scorer's vote. */
  double weight(String scorer);

  /** The weight of the human label's vote. */
  double humanWeight();
}
