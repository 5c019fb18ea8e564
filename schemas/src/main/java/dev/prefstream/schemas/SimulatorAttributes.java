package dev.prefstream.schemas;

/**
 * The attributes the simulator puts on its votes ({@code PreferenceVote.attributes}), which travel
 * with a pair through the labeler. Named once here, in the contract, because more than the simulator
 * reads them: the relabeler measures its pseudo-labels' precision against the truth.
 */
public final class SimulatorAttributes {
  /** The population's probability of preferring image A, from the oracle's dimensions. */
  public static final String TRUE_PREFERENCE_A = "sim.truePreferenceA";
  /** The oracle's overall score of image A. */
  public static final String ORACLE_A = "sim.oracleA";
  /** The oracle's overall score of image B. */
  public static final String ORACLE_B = "sim.oracleB";
  /** The model version that sampled the pair. */
  public static final String MODEL_VERSION = "sim.modelVersion";

  private SimulatorAttributes() {}
}
