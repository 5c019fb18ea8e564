package dev.prefstream.sim.pretrain;

import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.model.UNetConfig;
import dev.prefstream.sim.world.Prompt;

/** A tiny UNet over the grammar's vocabulary, pretrained for a few steps: fast to train and sample in tests. */
public final class TinyModels {
  private TinyModels() {}

  /** 16x16 images, 8 base channels: a few milliseconds per image. */
  public static UNetConfig unet() {
    return new UNetConfig(16, 8, 4, 8, Prompt.vocabulary(), 16);
  }

  /** Pretraining settings for the tiny UNet. */
  public static PretrainConfig pretrain(int steps) {
    return PretrainConfig.defaults().withUNet(unet()).withSteps(steps, 8).withEmaDecay(0.9);
  }

  /** Publishes a tiny base model as version 0 in {@code store}. */
  public static PretrainResult publishBase(ModelStore store, int steps) {
    return new Pretrainer(pretrain(steps), false).run(store);
  }
}
