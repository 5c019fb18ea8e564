package dev.prefstream.diffusion.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.diffusion.Rng;
import dev.prefstream.diffusion.model.UNetConfig;
import dev.prefstream.diffusion.model.UNetDenoiser;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import dev.prefstream.diffusion.train.DpoConfig;
import dev.prefstream.diffusion.train.DpoTrainer;
import dev.prefstream.diffusion.train.PreferencePair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures Diffusion-DPO training speed on this machine: steps/s and pairs/s per batch size, the
 * achieved GFLOP/s of a step (UNet convolution and linear FLOPs counted analytically; policy forward
 * and backward = 3x forward, plus the reference forward) as a fraction of the convolution
 * forward+backward peak measured in the same run, and the resident memory at two step counts to
 * show it does not grow. Called by {@code prefstream bench trainer}.
 */
public final class DpoBenchmark {
  private static final String PROMPT = "a red square";

  /** What to run; {@link #defaults()} is the published configuration. */
  public record Settings(UNetConfig model, int[] batches, int warmupSteps, int timedSteps,
      int rssEarlyStep, int rssLateStep, int peakIterations) {

    /** The default 32x32 UNet, batches 8 and 16, 20 timed steps, RSS at steps 50 and 500. */
    public static Settings defaults() {
      return new Settings(UNetConfig.defaults(List.of("a", "red", "blue", "square")),
          new int[] {8, 16}, 5, 20, 50, 500, 20);
    }
  }

  /** Speed at one batch size (pairs per step). */
  public record BatchFigures(int batch, double medianStepMillis, double stepsPerSecond,
      double pairsPerSecond, double gflopPerSecond, double fractionOfPeak) {}

  /**
   * The whole measurement. Memory in kB after steps rssEarlyStep and rssLateStep of batch 8: the
   * process RSS and the Java heap committed at that moment (RSS minus heap is the native part; the
   * heap alone grows with garbage until the collector settles, so compare the native part).
   */
  public record Result(long parameters, double stepGflopPerPair, double peakGflopPerSecond,
      List<BatchFigures> batches, int rssEarlyStep, long rssEarlyKb, long heapEarlyKb,
      int rssLateStep, long rssLateKb, long heapLateKb) {

    /** A readable report whose last line is {@code fraction of peak: X.XX} for batch 8 (or the first). */
    public String report() {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "UNet parameters: %d (%.2f M); step work %.3f GFLOP per pair%n",
          parameters, parameters / 1e6, stepGflopPerPair));
      out.append(String.format(Locale.ROOT, "conv2d fwd+bwd peak: %.1f GFLOP/s%n", peakGflopPerSecond));
      for (BatchFigures b : batches) {
        out.append(String.format(Locale.ROOT, "batch %d pairs: median step %.1f ms, %.2f steps/s, "
            + "%.1f pairs/s, %.1f GFLOP/s (%.2f of peak)%n", b.batch(), b.medianStepMillis(),
            b.stepsPerSecond(), b.pairsPerSecond(), b.gflopPerSecond(), b.fractionOfPeak()));
      }
      out.append(String.format(Locale.ROOT, "RSS after step %d: %d MB (Java heap committed %d MB); "
          + "after step %d: %d MB (heap %d MB)%n", rssEarlyStep, rssEarlyKb / 1024,
          heapEarlyKb / 1024, rssLateStep, rssLateKb / 1024, heapLateKb / 1024));
      BatchFigures headline = batches.stream().filter(b -> b.batch() == 8).findFirst()
          .orElse(batches.get(0));
      out.append(String.format(Locale.ROOT, "fraction of peak: %.2f", headline.fractionOfPeak()));
      return out.toString();
    }
  }

  private DpoBenchmark() {}

  public static void main(String[] args) {
    System.out.println(run(Settings.defaults()).report());
  }

  public static Result run(Settings settings) {
    double peak = convolutionPeakGflops(settings.peakIterations());
    NoiseSchedule schedule = NoiseSchedule.ddpm();
    List<BatchFigures> figures = new ArrayList<>();
    long[] memory = new long[4];
    try (UNetDenoiser policy = UNetDenoiser.create(settings.model(), 1);
        UNetDenoiser reference = policy.copy();
        DpoTrainer trainer = new DpoTrainer(policy, reference, schedule, DpoConfig.defaults(), 1)) {
      double gflopPerPair = 4.0 * 2 * policy.forwardFlopsPerImage() / 1e9;
      Rng rng = new Rng(42);
      for (int i = 0; i < settings.batches().length; i++) {
        int batch = settings.batches()[i];
        List<PreferencePair> pairs = pairs(batch, settings.model().imageSize(), rng);
        int total = settings.warmupSteps() + settings.timedSteps();
        if (i == 0) {
          total = Math.max(total, settings.rssLateStep());
        }
        double[] millis = new double[settings.timedSteps()];
        for (int step = 1; step <= total; step++) {
          double stepMillis = trainer.step(pairs).stepMillis();
          int timed = step - settings.warmupSteps() - 1;
          if (timed >= 0 && timed < millis.length) {
            millis[timed] = stepMillis;
          }
          if (i == 0 && step == settings.rssEarlyStep()) {
            memory[0] = residentKb();
            memory[1] = Runtime.getRuntime().totalMemory() / 1024;
          }
          if (i == 0 && step == settings.rssLateStep()) {
            memory[2] = residentKb();
            memory[3] = Runtime.getRuntime().totalMemory() / 1024;
          }
        }
        double median = median(millis);
        double gflops = gflopPerPair * batch / (median / 1e3);
        figures.add(new BatchFigures(batch, median, 1e3 / median, batch * 1e3 / median, gflops,
            gflops / peak));
      }
      return new Result(policy.parameterCount(), gflopPerPair, peak, figures,
          settings.rssEarlyStep(), memory[0], memory[1], settings.rssLateStep(), memory[2], memory[3]);
    }
  }

  /** Median GFLOP/s of a 3x3 convolution forward+backward, B=32, 32->32 channels, 32x32. */
  static double convolutionPeakGflops(int iterations) {
    int b = 32;
    int c = 32;
    int hw = 32;
    double gflop = 3 * 2.0 * b * c * c * 9 * hw * hw / 1e9;
    double[] millis = new double[iterations];
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomNormal(new Shape(b, c, hw, hw));
      NDArray weight = manager.randomNormal(new Shape(c, c, 3, 3)).mul(0.05f);
      NDArray bias = manager.zeros(new Shape(c));
      x.setRequiresGradient(true);
      weight.setRequiresGradient(true);
      for (int i = -3; i < iterations; i++) {
        long start = System.nanoTime();
        try (NDManager step = manager.newSubManager()) {
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = Conv2d.conv2d(x, weight, bias, new Shape(1, 1), new Shape(1, 1),
                new Shape(1, 1)).head();
            y.attach(step);
            NDArray loss = y.sum();
            collector.backward(loss);
          }
          x.getGradient().attach(step);
          weight.getGradient().attach(step);
        }
        if (i >= 0) {
          millis[i] = (System.nanoTime() - start) / 1e6;
        }
      }
    }
    return gflop / (median(millis) / 1e3);
  }

  private static List<PreferencePair> pairs(int n, int size, Rng rng) {
    List<PreferencePair> pairs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pairs.add(new PreferencePair(randomImage(size, rng), randomImage(size, rng), PROMPT));
    }
    return pairs;
  }

  private static RgbImage randomImage(int size, Rng rng) {
    float[] chw = new float[3 * size * size];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (float) rng.nextDouble();
    }
    return new RgbImage(size, size, chw);
  }

  /** Resident set size of this process in kB, from /proc/self/status (0 where there is none). */
  static long residentKb() {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return 0;
    }
    try {
      return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
