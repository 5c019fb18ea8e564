package dev.prefstream.trainer;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.diffusion.model.UNetConfig;
import dev.prefstream.diffusion.store.StoredUNet;
import dev.prefstream.diffusion.train.BetaConvention;
import dev.prefstream.diffusion.train.DpoConfig;
import dev.prefstream.diffusion.train.DpoErrors;
import dev.prefstream.diffusion.train.TimestepBands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trainer's settings, immutable. {@link #from(PrefstreamConfig)} reads these keys (defaults in
 * brackets):
 *
 * <ul>
 *   <li>{@code trainer.model} [unet]: the model name in the store and the key on the model-versions topic;
 *   <li>{@code trainer.image-size} [32], {@code trainer.unet.base-channels} [32], {@code trainer.unet.groups} [8],
 *       {@code trainer.unet.word-dim} [64], {@code trainer.unet.max-tokens} [16],
 *       {@code trainer.unet.prediction} [v | eps], {@code trainer.unet.prompt-encoder} [ordered | bag-of-words],
 *       {@code trainer.vocabulary}
 *       [none: required for a fresh UNet]: the architecture of a fresh UNet, used only when the store holds
 *       neither a checkpoint nor a version (stored models carry their own architecture);
 *   <li>{@code trainer.batch-pairs} [8], {@code trainer.lr} [1e-5], {@code trainer.warmup-steps} [0],
 *       {@code trainer.weight-decay} [0.01], {@code trainer.grad-clip} [1.0], {@code trainer.caption-dropout} [0.1];
 *   <li>{@code trainer.beta} [5000] and {@code trainer.beta-convention} [half] (METHOD.md section 1);
 *       {@code trainer.dpo-errors} [noise | model]: the errors z is computed on ({@link DpoErrors});
 *       {@code trainer.kl-weight} [0]: the weight of the per-step KL penalty added to DPO's loss
 *       ({@link DpoConfig#klWeight()}, docs/decisions/0016);
 *   <li>{@code trainer.steps-per-version} [500], {@code trainer.checkpoint-every} [100] steps,
 *       {@code trainer.keep-checkpoints} [3];
 *   <li>{@code trainer.reference} [none]: {@code none | hard:N | soft:ALPHA:N | per-version:K};
 *   <li>{@code trainer.feeds} [clean,relabeled]: any of clean, relabeled, conflicting;
 *   <li>{@code trainer.buffer.capacity} [4096], {@code trainer.buffer.min} [64] pairs before training starts,
 *       {@code trainer.holdout.capacity} [512], {@code trainer.eval.pairs} [128] held-out pairs per evaluation;
 *   <li>{@code trainer.seed} [42], {@code trainer.max-steps} [0 = unbounded],
 *       {@code trainer.progress-interval} [5s];
 *   <li>{@code models.root} [data/models]: the model store; {@code images.*} (see
 *       {@link ImageStore.Settings#from}) [root: data]: where pair images are read.
 * </ul>
 */
public record TrainerConfig(
    String model,
    UNetConfig freshUNet,
    int batchPairs,
    float learningRate,
    int warmupSteps,
    float weightDecay,
    float gradClip,
    double captionDropout,
    double beta,
    BetaConvention betaConvention,
    DpoErrors dpoErrors,
    double klWeight,
    int stepsPerVersion,
    int checkpointEvery,
    int keepCheckpoints,
    ReferenceSchedule reference,
    List<Feed> feeds,
    int bufferCapacity,
    int minBuffer,
    int holdoutCapacity,
    int evalPairs,
    long seed,
    long maxSteps,
    Duration progressInterval,
    Path modelStoreRoot,
    ImageStore.Settings images) {

  public TrainerConfig {
    feeds = List.copyOf(feeds);
    if (feeds.isEmpty()) {
      throw new IllegalArgumentException("trainer.feeds names no topic");
    }
    if (batchPairs <= 0 || stepsPerVersion <= 0 || checkpointEvery <= 0 || keepCheckpoints <= 0) {
      throw new IllegalArgumentException("batch size, version and checkpoint periods must be positive");
    }
    if (!(klWeight >= 0)) {
      throw new IllegalArgumentException("trainer.kl-weight must be >= 0: " + klWeight);
    }
    if (minBuffer < 1 || minBuffer > bufferCapacity || maxSteps < 0) {
      throw new IllegalArgumentException("need 1 <= trainer.buffer.min <= trainer.buffer.capacity and max-steps >= 0");
    }
  }

  /** The key naming the DPO errors, also recorded in every manifest's config. */
  public static final String DPO_ERRORS = "trainer.dpo-errors";

  public static TrainerConfig from(PrefstreamConfig c) {
    if (c.has("trainer.label-policy")) {
      throw new IllegalArgumentException("trainer.label-policy is gone: the trainer trains on the winner the labeler"
          + " decided (LabeledPair.winner); set labeler.label-policy instead");
    }
    UNetConfig unet = new UNetConfig(
        c.integer("trainer.image-size", 32),
        c.integer("trainer.unet.base-channels", 32),
        c.integer("trainer.unet.groups", 8),
        c.integer("trainer.unet.word-dim", 64),
        c.list("trainer.vocabulary", List.of()),
        c.integer("trainer.unet.max-tokens", 16),
        UNetConfig.Prediction.fromConfigName(c.string("trainer.unet.prediction", "v")),
        UNetConfig.PromptEncoder.fromConfigName(c.string("trainer.unet.prompt-encoder", "ordered")));
    return new TrainerConfig(
        c.string("trainer.model", StoredUNet.DEFAULT_MODEL),
        unet,
        c.integer("trainer.batch-pairs", 8),
        (float) c.number("trainer.lr", 1e-5),
        c.integer("trainer.warmup-steps", 0),
        (float) c.number("trainer.weight-decay", 0.01),
        (float) c.number("trainer.grad-clip", 1.0),
        c.number("trainer.caption-dropout", 0.1),
        c.number("trainer.beta", 5000),
        BetaConvention.fromConfigName(c.string("trainer.beta-convention", "half")),
        DpoErrors.fromConfigName(c.string(DPO_ERRORS, "noise")),
        c.number("trainer.kl-weight", 0),
        c.integer("trainer.steps-per-version", 500),
        c.integer("trainer.checkpoint-every", 100),
        c.integer("trainer.keep-checkpoints", 3),
        ReferenceSchedule.parse(c.string("trainer.reference", "none")),
        c.list("trainer.feeds", List.of("clean", "relabeled")).stream().map(Feed::fromConfigName).distinct().toList(),
        c.integer("trainer.buffer.capacity", 4096),
        c.integer("trainer.buffer.min", 64),
        c.integer("trainer.holdout.capacity", 512),
        c.integer("trainer.eval.pairs", 128),
        c.longValue("trainer.seed", 42),
        c.longValue("trainer.max-steps", 0),
        c.duration("trainer.progress-interval", Duration.ofSeconds(5)),
        c.path("models.root", Path.of("data", "models")),
        ImageStore.Settings.from(c, Path.of("data")));
  }

  /** Diffusion-DPO settings; the step-driven reference update comes from {@link #reference()}. */
  public DpoConfig dpo() {
    return new DpoConfig(beta, betaConvention, dpoErrors, learningRate, warmupSteps, weightDecay, gradClip,
        captionDropout, reference.stepUpdate(), TimestepBands.semiDpoDefaults(),
        klWeight);
  }

  /** The training settings as recorded in every manifest ({@code trainer.*} keys). */
  public Map<String, String> describe() {
    Map<String, String> m = new TreeMap<>();
    m.put("trainer.batch-pairs", String.valueOf(batchPairs));
    m.put("trainer.lr", String.valueOf(learningRate));
    m.put("trainer.warmup-steps", String.valueOf(warmupSteps));
    m.put("trainer.weight-decay", String.valueOf(weightDecay));
    m.put("trainer.grad-clip", String.valueOf(gradClip));
    m.put("trainer.caption-dropout", String.valueOf(captionDropout));
    m.put(DPO_ERRORS, dpoErrors.configName());
    m.put("trainer.kl-weight", String.valueOf(klWeight));
    m.put("trainer.reference", reference.toString());
    m.put("trainer.feeds", String.join(",", feeds.stream().map(Feed::configName).toList()));
    m.put("trainer.steps-per-version", String.valueOf(stepsPerVersion));
    m.put("trainer.seed", String.valueOf(seed));
    return m;
  }
}
