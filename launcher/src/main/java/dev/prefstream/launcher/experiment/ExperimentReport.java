package dev.prefstream.launcher.experiment;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.launcher.demo.DemoReport;
import dev.prefstream.launcher.experiment.ArmRun.Eval;
import dev.prefstream.launcher.experiment.ArmRun.Metric;
import dev.prefstream.launcher.experiment.ArmRun.Step;
import dev.prefstream.sim.eval.Evaluator;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The experiment's results: per arm and evaluated step, every metric's win rate over the base pooled
 * over the training seeds (each prompt's wins added up over seeds, then a bootstrap over prompts for
 * the 95% interval), the spread of the per-seed rates, training loss and held-out implicit accuracy;
 * as Markdown ({@code results.md}), HTML ({@code index.html}) and pictures (win rate against steps,
 * training curves, a sample grid).
 */
final class ExperimentReport {
  static final String HEADLINE_METRIC = "oracle.overall";
  private static final int RESAMPLES = 1000;
  private static final long BOOTSTRAP_SEED = 12345;

  /** A metric's pooled result for one arm at one step; {@code meanDelta}: the mean score difference over the base. */
  record Pooled(double rate, double low, double high, double seedMin, double seedMax, int seeds, double meanDelta) {
    String cell() {
      String s = String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", rate, low, high);
      return seeds > 1 ? s + String.format(Locale.ROOT, " (%.2f-%.2f)", seedMin, seedMax) : s;
    }
  }

  /** One row of the table. */
  record Row(Arm arm, int step, Map<String, Pooled> metrics, double loss, double holdoutAccuracy) {}

  private ExperimentReport() {}

  static Pooled pool(List<Eval> evals, String metric) {
    int[] wins = null;
    int trials = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double delta = 0;
    for (Eval e : evals) {
      Metric m = e.metrics().get(metric);
      delta += m.meanDelta() / evals.size();
      if (wins == null) {
        wins = new int[m.winsPerPrompt().length];
      }
      for (int p = 0; p < wins.length; p++) {
        wins[p] += m.winsPerPrompt()[p];
      }
      trials += e.seedsPerPrompt();
      min = Math.min(min, m.rate());
      max = Math.max(max, m.rate());
    }
    long total = 0;
    for (int w : wins) {
      total += w;
    }
    double[] ci = Evaluator.bootstrap(wins, trials, RESAMPLES, BOOTSTRAP_SEED);
    return new Pooled(total / (double) (wins.length * trials), ci[0], ci[1], min, max, evals.size(), delta);
  }

  static List<Row> rows(ExperimentSettings settings, Map<Arm, List<ArmRun>> runs) {
    List<Row> rows = new ArrayList<>();
    for (Arm arm : settings.trainedArms()) {
      for (int step : settings.evalSteps()) {
        List<Eval> evals = new ArrayList<>();
        double loss = 0;
        double accuracy = 0;
        for (ArmRun run : runs.get(arm)) {
          run.evals().stream().filter(e -> e.step() == step).forEach(evals::add);
        }
        if (evals.isEmpty()) {
          continue;
        }
        Map<String, Pooled> metrics = new LinkedHashMap<>();
        for (String metric : evals.get(0).metrics().keySet()) {
          metrics.put(metric, pool(evals, metric));
        }
        for (Eval e : evals) {
          loss += e.meanLoss() / evals.size();
          accuracy += e.holdout().getOrDefault("holdout_accuracy", Double.NaN) / evals.size();
        }
        rows.add(new Row(arm, step, metrics, loss, accuracy));
      }
    }
    return rows;
  }

  /** The one-sentence answer: is the last evaluated version of each arm better than the base? */
  static String headline(List<Row> rows) {
    Map<Arm, Row> last = new LinkedHashMap<>();
    rows.forEach(r -> last.put(r.arm(), r));
    List<String> parts = new ArrayList<>();
    for (Row r : last.values()) {
      Pooled p = r.metrics().get(HEADLINE_METRIC);
      String verdict = p.low() > 0.5 ? "better than the base" : p.high() < 0.5 ? "WORSE than the base"
          : "not distinguishable from the base";
      parts.add(String.format(Locale.ROOT, "%s labels after %d steps: %s (oracle overall win rate %.2f [%.2f, %.2f])",
          r.arm().configName(), r.step(), verdict, p.rate(), p.low(), p.high()));
    }
    return String.join("; ", parts) + ".";
  }

  static String markdown(ExperimentSettings settings, VoteLog log, List<Row> rows, String command) {
    StringBuilder s = new StringBuilder();
    s.append("**").append(headline(rows)).append("**\n\n");
    s.append("Command: `").append(command).append("`  \n");
    s.append(String.format(Locale.ROOT, "Vote log: %d pairs (%d images per prompt), %d votes per pair (log seed %d); label noise: %.3f of the "
        + "votes and %.3f of the human labels disagree with the population's true preference; %d pairs change order "
        + "between the float and the stored 8-bit images. Training seeds %s, %d steps of %s pairs, "
        + "evaluation on %d held-out prompts x %d seeds.%n%n",
        log.pairs().size(), settings.imagesPerPrompt(), settings.votesPerPair(), settings.logSeed(), log.labelNoise(), log.humanLabelNoise(),
        log.truthFlipsFromQuantisation(), settings.seeds(), settings.steps(),
        settings.trainer().getOrDefault("trainer.batch-pairs", "8"), settings.evalPrompts(), settings.evalSeeds()));
    s.append("Win rate over the base: share of (prompt, seed) where the arm's image scores strictly higher, pooled over "
        + "the training seeds, 95% bootstrap interval over prompts, (range of the per-seed rates); beside the oracle's "
        + "overall rate, the mean difference of its score over the base. Loss: mean DPO loss "
        + "of the last interval; accuracy: implicit accuracy on held-out pairs, labelled as the arm labels.\n\n");
    if (rows.isEmpty()) {
      return s.append("(no evaluation yet)\n").toString();
    }
    List<String> metrics = new ArrayList<>(rows.get(0).metrics().keySet());
    metrics.remove(HEADLINE_METRIC);
    metrics.add(0, HEADLINE_METRIC);
    s.append("| arm | step | ").append(String.join(" | ", metrics)).append(" | loss | held-out accuracy |\n");
    s.append("|---|---|").append("---|".repeat(metrics.size())).append("---|---|\n");
    for (Row r : rows) {
      s.append("| ").append(r.arm().configName()).append(" | ").append(r.step()).append(" | ");
      for (String m : metrics) {
        Pooled p = r.metrics().get(m);
        s.append(p == null ? "n/a" : p.cell());
        if (p != null && m.equals(HEADLINE_METRIC)) {
          // the win rate counts signs; the mean says how far (they can disagree: decision 0015)
          s.append(String.format(Locale.ROOT, ", mean %+.4f", p.meanDelta()));
        }
        s.append(" | ");
      }
      s.append(String.format(Locale.ROOT, "%.3f | %.3f |%n", r.loss(), r.holdoutAccuracy()));
    }
    return s.toString();
  }

  static void write(Path out, ExperimentSettings settings, VoteLog log, Map<Arm, List<ArmRun>> runs,
      Path baseSamples, String command) throws IOException {
    List<Row> rows = rows(settings, runs);
    String md = markdown(settings, log, rows, command);
    Files.writeString(out.resolve("results.md"), md, StandardCharsets.UTF_8);
    BitmapEncoder.saveBitmap(winRateChart(settings, rows), out.resolve("win-rate.png").toString(),
        BitmapEncoder.BitmapFormat.PNG);
    BitmapEncoder.saveBitmap(trainingChart(settings, runs), out.resolve("training.png").toString(),
        BitmapEncoder.BitmapFormat.PNG);
    ImageIO.write(grid(settings, runs, baseSamples), "png", out.resolve("samples.png").toFile());
    String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>prefstream experiment</title>"
        + "<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto}table{border-collapse:collapse;"
        + "font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px}</style></head><body>"
        + "<h1>prefstream experiment (" + DemoReport.html(settings.preset()) + ")</h1>"
        + "<pre style=\"white-space:pre-wrap\">" + DemoReport.html(md) + "</pre>"
        + "<h2>Oracle win rate over the base</h2><img src=\"win-rate.png\" alt=\"win rate against steps\">"
        + "<h2>Training</h2><img src=\"training.png\" alt=\"loss and implicit accuracy\">"
        + "<h2>Samples (first row: base; then each arm's last version, first seed)</h2>"
        + "<img src=\"samples.png\" alt=\"sample grid\"></body></html>";
    Files.writeString(out.resolve("index.html"), html, StandardCharsets.UTF_8);
  }

  private static XYChart winRateChart(ExperimentSettings settings, List<Row> rows) {
    XYChart c = new XYChartBuilder().width(800).height(420).title("Oracle overall win rate over the base")
        .xAxisTitle("DPO steps").yAxisTitle("win rate (95% CI, pooled over seeds)").build();
    c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setLegendPosition(Styler.LegendPosition.InsideNW);
    for (Arm arm : settings.trainedArms()) {
      List<Row> mine = rows.stream().filter(r -> r.arm() == arm).toList();
      if (mine.isEmpty()) {
        continue;
      }
      double[] x = mine.stream().mapToDouble(Row::step).toArray();
      double[] y = mine.stream().mapToDouble(r -> r.metrics().get(HEADLINE_METRIC).rate()).toArray();
      double[] err = mine.stream().mapToDouble(r -> {
        Pooled p = r.metrics().get(HEADLINE_METRIC);
        return Math.max(p.rate() - p.low(), p.high() - p.rate());
      }).toArray();
      c.addSeries(arm.configName(), x, y, err);
    }
    double last = settings.steps();
    c.addSeries("base (0.5)", new double[] {0, last}, new double[] {0.5, 0.5}).setMarker(SeriesMarkers.NONE)
        .setLineColor(Color.GRAY);
    return c;
  }

  private static XYChart trainingChart(ExperimentSettings settings, Map<Arm, List<ArmRun>> runs) {
    XYChart c = new XYChartBuilder().width(800).height(420).title("DPO loss (mean over seeds, 10-step window)")
        .xAxisTitle("step").yAxisTitle("loss").build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    for (Arm arm : settings.trainedArms()) {
      double[] sum = new double[settings.steps() + 1];
      int[] count = new int[settings.steps() + 1];
      for (ArmRun run : runs.get(arm)) {
        for (Step s : run.steps()) {
          if (s.step() <= settings.steps() && Double.isFinite(s.loss())) {
            sum[(int) s.step()] += s.loss();
            count[(int) s.step()]++;
          }
        }
      }
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      int window = Math.max(1, Math.min(10, settings.steps() / 4));
      for (int i = window; i <= settings.steps(); i++) {
        double total = 0;
        int n = 0;
        for (int j = i - window + 1; j <= i; j++) {
          total += sum[j];
          n += count[j];
        }
        if (n > 0) {
          xs.add((double) i);
          ys.add(total / n);
        }
      }
      if (!xs.isEmpty()) {
        c.addSeries(arm.configName(), xs, ys).setMarker(SeriesMarkers.NONE);
      }
    }
    c.addSeries("log 2 (chance)", new double[] {0, settings.steps()}, new double[] {Math.log(2), Math.log(2)})
        .setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY);
    return c;
  }

  private static BufferedImage grid(ExperimentSettings settings, Map<Arm, List<ArmRun>> runs, Path baseSamples)
      throws IOException {
    List<String> labels = new ArrayList<>();
    List<List<RgbImage>> rows = new ArrayList<>();
    labels.add("base");
    rows.add(readAll(baseSamples));
    for (Arm arm : settings.trainedArms()) {
      List<ArmRun> mine = runs.get(arm);
      if (!mine.isEmpty()) {
        labels.add(arm.configName());
        rows.add(readAll(mine.get(0).samplesDir(settings.steps())));
      }
    }
    return DemoReport.labelledRows(labels, rows);
  }

  private static List<RgbImage> readAll(Path dir) throws IOException {
    List<RgbImage> out = new ArrayList<>();
    for (int i = 0; i < ArmRun.SAMPLES_KEPT; i++) {
      Path f = dir.resolve(i + ".png");
      if (Files.exists(f)) {
        out.add(RgbImage.decode(Files.readAllBytes(f)));
      }
    }
    return out;
  }
}
