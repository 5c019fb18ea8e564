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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures Diffusion-DPO training speed on this machine: steps/s and pairs/s per batch size, the
 * achieved GFLOP/s of a step (UNet convolution and linear FLOPs counted analytically; policy forward
 * and backward = 3x forward, plus the reference forward) as a fraction of the convolution
 * forward+backward peak measured in the same run right before that batch size's timed steps (the best
 * of the UNet's three level shapes: a step cannot run faster than its fastest convolution), and
 * memory every {@code rssEvery} steps of batch 8 up to {@code rssLateStep}: resident size, Java heap
 * and what glibc's allocator holds in use and free. Called by {@code prefstream bench trainer}.
 */
public final class DpoBenchmark {
  private static final String PROMPT = "a red square";
  /** The late half of the memory curve may grow by at most this fraction of the RSS at its start. */
  static final double PLATEAU_TOLERANCE = 0.05;

  /** What to run; {@link #defaults()} is the published configuration. */
  public record Settings(UNetConfig model, int[] batches, int warmupSteps, int timedSteps,
      int rssEarlyStep, int rssLateStep, int peakIterations, int rssEvery) {

    /** Memory read every {@code rssEarlyStep} steps. */
    public Settings(UNetConfig model, int[] batches, int warmupSteps, int timedSteps,
        int rssEarlyStep, int rssLateStep, int peakIterations) {
      this(model, batches, warmupSteps, timedSteps, rssEarlyStep, rssLateStep, peakIterations,
          rssEarlyStep);
    }

    /** The default 32x32 UNet, batches 8 and 16, 20 timed steps, memory every 50 steps to 500. */
    public static Settings defaults() {
      return new Settings(UNetConfig.defaults(List.of("a", "red", "blue", "square")),
          new int[] {8, 16}, 5, 20, 50, 500, 20, 50);
    }
  }

  /**
   * Speed at one batch size (pairs per step), against the peak measured just before; cpuShare is
   * the CPU time this process got during the timed steps over their wall time, in cores, and
   * loadAverage the one-minute load when they ended: with less than the machine's cores the
   * wall-clock figures are the machine's load as much as the trainer's speed.
   * cpuFractionOfPeak compares GFLOP per CPU-second of the timed steps with that of the peak
   * measurement, which other processes' load affects much less.
   */
  public record BatchFigures(int batch, double medianStepMillis, double stepsPerSecond,
      double pairsPerSecond, double gflopPerSecond, double peakGflopPerSecond,
      double fractionOfPeak, double cpuShare, double loadAverage, double cpuFractionOfPeak, String peakShape,
      String levelPeaks) {}

  /**
   * Conv2d forward+backward GFLOP per wall-clock second (median) and per CPU-second (all iterations)
   * of one 3x3 convolution shape ({@code channels} in and out, {@code size} x {@code size}).
   */
  record Peak(double gflopPerSecond, double gflopPerCpuSecond, int channels, int size, String levels) {
    String shape() {
      return channels + " channels at " + size + "x" + size;
    }

    Peak withLevels(String all) {
      return new Peak(gflopPerSecond, gflopPerCpuSecond, channels, size, all);
    }
  }

  /**
   * Memory after a step of batch 8, in kB: process RSS, Java heap committed, and glibc's bytes in
   * use (live native allocations: libtorch tensors and the JVM's own) and free but still held (-1
   * where mallinfo2 is missing). RSS minus the committed heap approximates the native part.
   */
  public record MemoryPoint(int step, long rssKb, long heapKb, long mallocInUseKb,
      long mallocFreeKb) {
    public long nativeKb() {
      return rssKb - heapKb;
    }

    /** What glibc holds (in use plus free), -1 where unknown: native memory without the Java heap. */
    public long mallocHeldKb() {
      return mallocInUseKb < 0 ? -1 : mallocInUseKb + mallocFreeKb;
    }
  }

  /** The whole measurement. */
  public record Result(long parameters, double stepGflopPerPair, List<BatchFigures> batches,
      int rssEarlyStep, int rssLateStep, List<MemoryPoint> memory, String allocator) {

    /** The first conv2d peak measurement (before the first batch size). */
    public double peakGflopPerSecond() {
      return batches.get(0).peakGflopPerSecond();
    }

    public long rssEarlyKb() {
      return at(rssEarlyStep).rssKb();
    }

    public long heapEarlyKb() {
      return at(rssEarlyStep).heapKb();
    }

    public long rssLateKb() {
      return at(rssLateStep).rssKb();
    }

    public long heapLateKb() {
      return at(rssLateStep).heapKb();
    }

    /** The reading at that step. */
    public MemoryPoint at(int step) {
      return memory.stream().filter(m -> m.step() == step).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no memory reading at step " + step));
    }

    /** The reading halfway (the first at or after rssLateStep / 2, not before rssEarlyStep). */
    public MemoryPoint middle() {
      int half = Math.max(rssEarlyStep, rssLateStep / 2);
      return memory.stream().filter(m -> m.step() >= half).findFirst().orElseThrow();
    }

    /**
     * True when native memory grew by at most {@link #PLATEAU_TOLERANCE} of the RSS over the second
     * half of the curve (from {@link #middle()} to rssLateStep). Native memory is what glibc holds
     * where mallinfo2 is available (the Java heap's pages becoming resident also raise RSS, without
     * any growth), else RSS.
     */
    public boolean plateaued() {
      MemoryPoint mid = middle();
      MemoryPoint late = at(rssLateStep);
      long growth = mid.mallocHeldKb() < 0 || late.mallocHeldKb() < 0
          ? late.rssKb() - mid.rssKb() : late.mallocHeldKb() - mid.mallocHeldKb();
      return growth <= PLATEAU_TOLERANCE * mid.rssKb();
    }

    /** A readable report whose last line is {@code fraction of peak: X.XX} for batch 8 (or the first). */
    public String report() {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "UNet parameters: %d (%.2f M); step work %.3f GFLOP per pair%n",
          parameters, parameters / 1e6, stepGflopPerPair));
      for (BatchFigures b : batches) {
        out.append(String.format(Locale.ROOT, "batch %d pairs: median step %.1f ms, %.2f steps/s, "
            + "%.1f pairs/s, %.1f GFLOP/s; conv2d fwd+bwd peak just before %.1f GFLOP/s (%s, the "
            + "fastest of the UNet's levels: %s) (%.2f of peak); CPU %.2f of %d cores, load %.2f; "
            + "per CPU-second %.2f of peak%n",
            b.batch(), b.medianStepMillis(), b.stepsPerSecond(), b.pairsPerSecond(),
            b.gflopPerSecond(), b.peakGflopPerSecond(), b.peakShape(), b.levelPeaks(), b.fractionOfPeak(),
            b.cpuShare(),
            Runtime.getRuntime().availableProcessors(), b.loadAverage(), b.cpuFractionOfPeak()));
      }
      out.append("allocator: ").append(allocator).append(String.format(Locale.ROOT, "%n"));
      out.append(String.format(Locale.ROOT, "memory (batch %d) step: RSS MB, heap committed MB, "
          + "RSS-heap MB, malloc in use MB, malloc free held MB%n", headline().batch()));
      for (MemoryPoint m : memory) {
        out.append(String.format(Locale.ROOT, "  %5d: %6d %6d %6d %6s %6s%n", m.step(),
            m.rssKb() / 1024, m.heapKb() / 1024, m.nativeKb() / 1024, mb(m.mallocInUseKb()),
            mb(m.mallocFreeKb())));
      }
      MemoryPoint mid = middle();
      MemoryPoint late = at(rssLateStep);
      out.append(String.format(Locale.ROOT, "RSS after step %d: %d MB (Java heap committed %d MB); "
          + "after step %d: %d MB (heap %d MB); steps %d-%d: RSS %+d MB, malloc held %s MB, "
          + "in use %s MB: %s%n",
          rssEarlyStep, rssEarlyKb() / 1024, heapEarlyKb() / 1024, rssLateStep,
          rssLateKb() / 1024, heapLateKb() / 1024, mid.step(), rssLateStep,
          (late.rssKb() - mid.rssKb()) / 1024,
          late.mallocHeldKb() < 0 ? "?" : String.format(Locale.ROOT, "%+d",
              (late.mallocHeldKb() - mid.mallocHeldKb()) / 1024),
          late.mallocInUseKb() < 0 ? "?" : String.format(Locale.ROOT, "%+d",
              (late.mallocInUseKb() - mid.mallocInUseKb()) / 1024),
          plateaued() ? "plateau" : "still growing"));
      out.append(String.format(Locale.ROOT, "fraction of peak: %.2f", headline().fractionOfPeak()));
      return out.toString();
    }

    private BatchFigures headline() {
      return batches.stream().filter(b -> b.batch() == 8).findFirst().orElse(batches.get(0));
    }

    private static String mb(long kb) {
      return kb < 0 ? "?" : String.valueOf(kb / 1024);
    }
  }

  private DpoBenchmark() {}

  public static void main(String[] args) {
    System.out.println(run(Settings.defaults()).report());
  }

  public static Result run(Settings settings) {
    NoiseSchedule schedule = NoiseSchedule.ddpm();
    List<BatchFigures> figures = new ArrayList<>();
    List<MemoryPoint> memory = new ArrayList<>();
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
        Peak peak = convolutionPeak(settings.model(), settings.peakIterations());
        double[] millis = new double[settings.timedSteps()];
        long timedCpu = 0;
        long timedWall = 0;
        for (int step = 1; step <= total; step++) {
          boolean timed = step > settings.warmupSteps()
              && step <= settings.warmupSteps() + settings.timedSteps();
          long cpu = timed ? NativeMemory.cpuMillis() : 0;
          long wall = System.nanoTime();
          double stepMillis = trainer.step(pairs).stepMillis();
          if (timed) {
            timedWall += System.nanoTime() - wall;
            timedCpu += NativeMemory.cpuMillis() - cpu;
            millis[step - settings.warmupSteps() - 1] = stepMillis;
          }
          if (i == 0 && (step == settings.rssEarlyStep() || step == settings.rssLateStep()
              || (settings.rssEvery() > 0 && step % settings.rssEvery() == 0
              && step <= settings.rssLateStep()))) {
            NativeMemory.Malloc malloc = NativeMemory.malloc();
            memory.add(new MemoryPoint(step, NativeMemory.residentKb(),
                Runtime.getRuntime().totalMemory() / 1024, malloc.inUseKb(), malloc.freeHeldKb()));
          }
          if (step == settings.warmupSteps() + settings.timedSteps()) {
            double median = median(millis);
            double gflops = gflopPerPair * batch / (median / 1e3);
            double gflopsPerCpu = gflopPerPair * batch * settings.timedSteps()
                / (Math.max(1, timedCpu) / 1e3);
            figures.add(new BatchFigures(batch, median, 1e3 / median, batch * 1e3 / median, gflops,
                peak.gflopPerSecond(), gflops / peak.gflopPerSecond(),
                timedCpu / (timedWall / 1e6), NativeMemory.loadAverage(),
                gflopsPerCpu / peak.gflopPerCpuSecond(), peak.shape(), peak.levels()));
          }
        }
      }
      return new Result(policy.parameterCount(), gflopPerPair, figures, settings.rssEarlyStep(),
          settings.rssLateStep(), List.copyOf(memory), NativeMemory.allocatorEnvironment());
    }
  }

  /**
   * The fastest 3x3 convolution forward+backward of the UNet's three levels (c channels at S x S, 2c
   * at S/2, 4c at S/4), batch 32.
   */
  static Peak convolutionPeak(UNetConfig model, int iterations) {
    Peak best = null;
    List<String> levels = new ArrayList<>();
    for (int level = 0; level < 3; level++) {
      Peak p = convolutionPeak(model.baseChannels() << level, model.imageSize() >> level, iterations);
      levels.add(String.format(Locale.ROOT, "%d at %dx%d %.1f", p.channels(), p.size(), p.size(), p.gflopPerSecond()));
      if (best == null || p.gflopPerSecond() > best.gflopPerSecond()) {
        best = p;
      }
    }
    return best.withLevels(String.join(", ", levels));
  }

  /** GFLOP/s of a 3x3 convolution forward+backward, B=32, c -> c channels, hw x hw. */
  static Peak convolutionPeak(int c, int hw, int iterations) {
    int b = 32;
    double gflop = 3 * 2.0 * b * c * c * 9 * hw * hw / 1e9;
    double[] millis = new double[iterations];
    long cpu = 0;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomNormal(new Shape(b, c, hw, hw));
      NDArray weight = manager.randomNormal(new Shape(c, c, 3, 3)).mul(0.05f);
      NDArray bias = manager.zeros(new Shape(c));
      x.setRequiresGradient(true);
      weight.setRequiresGradient(true);
      for (int i = -3; i < iterations; i++) {
        if (i == 0) {
          cpu = NativeMemory.cpuMillis();
        }
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
      cpu = NativeMemory.cpuMillis() - cpu;
    }
    return new Peak(gflop / (median(millis) / 1e3), gflop * iterations / (Math.max(1, cpu) / 1e3), c, hw, "");
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

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
