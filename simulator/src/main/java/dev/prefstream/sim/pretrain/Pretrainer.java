package dev.prefstream.sim.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.prefstream.core.model.Manifest;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.ImageTensors;
import dev.prefstream.diffusion.Rng;
import dev.prefstream.diffusion.model.DenoiserModel;
import dev.prefstream.diffusion.model.UNetDenoiser;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import dev.prefstream.diffusion.store.StoredUNet;
import dev.prefstream.diffusion.train.DenoisingTrainer;
import dev.prefstream.diffusion.train.DpoConfig;
import dev.prefstream.sim.world.Renderer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Pretrains the base model: the built-in conditional UNet trained with ordinary denoising (eps-MSE,
 * {@link DenoisingTrainer}) on renders of the training prompts carrying the deliberate defects of a
 * {@link DefectMix}; the exponential moving average of its weights ({@link PretrainConfig#emaDecay()})
 * is published as version 0 in a {@link ModelStore}. Everything is seeded by
 * {@link PretrainConfig#seed()}: the same config gives the same batches and noise, and (up to the
 * engine's floating-point scheduling) the same weights.
 */
public final class Pretrainer {
  /** The noise schedule of every prefstream UNet, recorded in the manifest. */
  public static final String SCHEDULE = "ddpm-linear-1000-0.0001-0.02";
  private static final int PROBE_SIZE = 32;

  private final PretrainConfig config;
  private final boolean showProgress;

  /** With {@code showProgress}, a progress bar with the running loss is drawn on the console. */
  public Pretrainer(PretrainConfig config, boolean showProgress) {
    this.config = config;
    this.showProgress = showProgress;
  }

  /** Trains a fresh UNet and publishes it as version 0 of {@link PretrainConfig#model()} in {@code store}. */
  public PretrainResult run(ModelStore store) {
    NoiseSchedule schedule = NoiseSchedule.ddpm();
    Renderer renderer = new Renderer(config.unet().imageSize(), config.unet().imageSize());
    DefectiveRenders data = new DefectiveRenders(config.split().training(), config.defects(), renderer, config.seed());
    DefectiveRenders.Batch probe = new DefectiveRenders(config.split().training(), config.defects(), renderer,
        ~config.seed()).next(PROBE_SIZE);
    int window = Math.max(1, Math.min(50, config.steps() / 10));
    double[] losses = new double[config.steps()];
    try (UNetDenoiser model = UNetDenoiser.create(config.unet(), (int) config.seed());
        UNetDenoiser average = UNetDenoiser.create(config.unet(), (int) config.seed())) {
      average.setTrainable(false);
      String initDigest = config.fromShipped() ? BaseModel.loadInto(model) : null;
      average.copyParametersFrom(model);
      double probeBefore = probeLoss(model, schedule, probe, config.seed());
      long start = System.nanoTime();
      try (DenoisingTrainer trainer = new DenoisingTrainer(model, schedule, config.learningRate(),
          config.captionDropout(), config.seed() + 1);
          ProgressBar bar = progressBar()) {
        for (int step = 0; step < config.steps(); step++) {
          DefectiveRenders.Batch batch = data.next(config.batchSize());
          losses[step] = trainer.step(batch.images(), batch.captions());
          average.blendParametersFrom(model, (float) (1 - config.emaDecay()));
          if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", mean(losses, Math.max(0, step - window + 1), step + 1)));
          }
        }
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      double probeAfter = probeLoss(average, schedule, probe, config.seed());
      double first = mean(losses, 0, window);
      double last = mean(losses, config.steps() - window, config.steps());
      Map<String, Double> metrics = new TreeMap<>(Map.of("first_loss", first, "final_loss", last,
          "probe_loss_before", probeBefore, "probe_loss_after", probeAfter,
          "train_seconds", elapsed.toMillis() / 1000.0));
      ModelStore.Stored stored = store.publishVersion(manifest(metrics, initDigest),
          dir -> StoredUNet.writeParameters(average, dir));
      return new PretrainResult(config.steps(), first, last, probeBefore, probeAfter, elapsed, stored);
    }
  }

  private Manifest manifest(Map<String, Double> metrics, String initDigest) {
    DpoConfig dpo = DpoConfig.defaults();
    Map<String, String> manifestConfig = new TreeMap<>(StoredUNet.configEntries(config.unet()));
    manifestConfig.putAll(config.describe());
    if (initDigest != null) {
      manifestConfig.put("pretrain.init-sha256", initDigest);
    }
    manifestConfig.put("schedule", SCHEDULE);
    return new Manifest(config.model(), Manifest.VERSION, 0, null, 0, config.steps(), dpo.beta(),
        dpo.convention().configName(), manifestConfig, metrics, Map.of(), Map.of(), 0);
  }

  private ProgressBar progressBar() {
    if (!showProgress) {
      return null;
    }
    return new ProgressBarBuilder().setTaskName("pretrain " + config.model()).setInitialMax(config.steps())
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build();
  }

  /**
   * The eps-MSE of {@code model} on a fixed batch: timesteps spread evenly over the schedule and
   * noise from {@code seed}, so the loss before and after training is measured on the same draws.
   */
  static double probeLoss(DenoiserModel model, NoiseSchedule schedule, DefectiveRenders.Batch batch, long seed) {
    int n = batch.images().size();
    int[] t = new int[n];
    float[] times = new float[n];
    for (int i = 0; i < n; i++) {
      t[i] = (int) ((i + 0.5) * schedule.steps() / n);
      times[i] = t[i];
    }
    int size = model.imageSize();
    float[] noise = new float[n * 3 * size * size];
    new Rng(seed).fillGaussian(noise, 0, noise.length);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x0 = ImageTensors.toModelSpace(manager, batch.images());
      NDArray eps = manager.create(noise, x0.getShape());
      NDArray noised = schedule.addNoise(x0, eps, t);
      NDArray tokens = model.tokenizer().encode(manager, batch.captions());
      NDArray prediction = model.predictNoise(noised, manager.create(times), tokens, false);
      return prediction.sub(eps).square().mean().getFloat();
    }
  }

  private static double mean(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / (to - from);
  }
}
