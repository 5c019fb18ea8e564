package dev.prefstream.diffusion.train;

/**
 * What one Diffusion-DPO step did. {@code pairs} counts the pairs that contributed (pseudo-labelled
 * pairs without a label do not); with none, no update happened and the metrics are NaN.
 * {@code rewardMargin} is the mean z; {@code referenceVersion} counts reference updates so far.
 */
public record DpoStepResult(long step, int pairs, double loss, double implicitAccuracy,
    double rewardMargin, double gradNorm, float learningRate, boolean referenceUpdated,
    long referenceVersion, double stepMillis) {}
