package dev.prefstream.labeler.voting;

/**
 * A scorer's record against human labels: {@code agree} of {@code votes} non-abstaining votes on
 * decided pairs matched the human label.
 */
public record Reliability(long agree, long votes) {
  public static final Reliability NONE = new Reliability(0, 0);

  /** Beta(1,1)-smoothed agreement rate: (agree + 1) / (votes + 2); 0.5 with no evidence. */
  public double rate() {
    return (agree + 1.0) / (votes + 2.0);
  }

  /**
   * The voting weight: the log-odds of {@link #rate()}, floored at 0 (a scorer no better than chance
   * gets no say rather than an inverted one); 0 until {@code minObservations} votes were seen, so a
   * scorer earns its say and a cold start follows the human tally alone.
   */
  public double weight(long minObservations) {
    if (votes < minObservations) {
      return 0.0;
    }
    double p = rate();
    return Math.max(0.0, Math.log(p / (1 - p)));
  }

  public Reliability plus(long agreeDelta, long votesDelta) {
    return new Reliability(agree + agreeDelta, votes + votesDelta);
  }
}
