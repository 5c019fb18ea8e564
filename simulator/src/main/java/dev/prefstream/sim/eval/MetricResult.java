package dev.prefstream.sim.eval;

/**
 * The candidate-against-base comparison on one metric.
 *
 * @param metric the scorer's name, {@code oracle.<dimension>}, {@code oracle.overall} or one of the oracle's
 *     parts ({@code oracle.flatness}, {@code oracle.contrast}, {@code oracle.size})
 * @param winRate share of (prompt, seed) where the candidate scored strictly higher
 * @param tieRate share where both scored exactly the same (counted as not-wins)
 * @param ciLow lower end of the 95% bootstrap confidence interval of the win rate (prompts resampled)
 * @param ciHigh upper end of that interval
 * @param meanDelta mean of candidate score minus base score
 * @param winsPerPrompt wins of each prompt over its seeds, in the configuration's prompt order (for
 *     pooling several runs: {@link Evaluator#bootstrap})
 */
public record MetricResult(String metric, double winRate, double tieRate, double ciLow, double ciHigh,
    double meanDelta, int[] winsPerPrompt) {}
