package dev.prefstream.diffusion.train;

/**
 * Settings of Diffusion-DPO training: beta and its convention, AdamW (learning rate, linear warm-up
 * steps, weight decay, grad-norm clip), the caption-dropout probability (one decision per pair, shared
 * by winner and loser), the reference update schedule, the Semi-DPO timestep bands, and the weight of
 * the per-step KL penalty (docs/decisions/0016).
 */
public record DpoConfig(double beta, BetaConvention convention, DpoErrors errors, float learningRate,
    int warmupSteps, float weightDecay, float maxGradNorm, double captionDropout, ReferenceUpdate referenceUpdate,
    TimestepBands bands, double klWeight) {

  public DpoConfig {
    if (!(klWeight >= 0)) {
      throw new IllegalArgumentException("the KL weight must be >= 0: " + klWeight);
    }
  }

  /**
   * beta 5000 (half) on noise errors, which at 32x32 is the same z scale the probes tuned; learning
   * rate 1e-5, no warm-up, weight decay 0.01, clip 1.0, caption dropout 0.1, no scheduled reference
   * update.
   */
  public static DpoConfig defaults() {
    return new DpoConfig(5000, BetaConvention.HALF, DpoErrors.NOISE, 1e-5f, 0, 0.01f, 1f, 0.1,
        ReferenceUpdate.none(), TimestepBands.semiDpoDefaults(), 0);
  }

  public DpoConfig withLearningRate(float newLearningRate, int newWarmupSteps) {
    return new DpoConfig(beta, convention, errors, newLearningRate, newWarmupSteps, weightDecay, maxGradNorm,
        captionDropout, referenceUpdate, bands, klWeight);
  }

  public DpoConfig withCaptionDropout(double probability) {
    return new DpoConfig(beta, convention, errors, learningRate, warmupSteps, weightDecay, maxGradNorm,
        probability, referenceUpdate, bands, klWeight);
  }

  public DpoConfig withReferenceUpdate(ReferenceUpdate update) {
    return new DpoConfig(beta, convention, errors, learningRate, warmupSteps, weightDecay, maxGradNorm,
        captionDropout, update, bands, klWeight);
  }

  public DpoConfig withKlWeight(double weight) {
    return new DpoConfig(beta, convention, errors, learningRate, warmupSteps, weightDecay, maxGradNorm,
        captionDropout, referenceUpdate, bands, weight);
  }

  AdamW newOptimizer() {
    return new AdamW(learningRate, warmupSteps, weightDecay, maxGradNorm);
  }
}
