package dev.prefstream.diffusion.train;

import dev.prefstream.diffusion.model.DenoiserModel;
import java.util.Locale;

/**
 * In which parameterisation Diffusion-DPO measures the per-image errors m and r (METHOD.md section 1,
 * step 3). {@code noise}: the error of the predicted noise, as METHOD.md writes it, right for a
 * noise-predicting network. {@code model}: the error of the network's own target, the one it was
 * pretrained on (for a v-predicting network the v error, which is the noise error divided by abar_t).
 *
 * <p>Why it matters (docs/decisions/0012): the noise error of a v-network is abar_t times its v error,
 * so under {@code noise} the timesteps where abar_t is small (t above ~600 on the DDPM schedule:
 * abar_700 = 0.007), where layout and colours are decided, carry almost no gradient. Under
 * {@code model} every timestep weighs what it weighed in pretraining. beta keeps its meaning per
 * convention: z = factor * beta * [(r_w - m_w) - (r_l - m_l)] on whichever errors are chosen.
 */
public enum DpoErrors {
  NOISE,
  MODEL;

  /** The factor that turns a noise error at {@code alphaBar} into this parameterisation's error. */
  public double weight(DenoiserModel model, double alphaBar) {
    return this == NOISE ? 1 : model.denoisingLossWeight(alphaBar);
  }

  /** The name used in config files and manifests: {@code noise} or {@code model}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DpoErrors fromConfigName(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
