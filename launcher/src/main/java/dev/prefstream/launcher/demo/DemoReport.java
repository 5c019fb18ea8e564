package dev.prefstream.launcher.demo;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.launcher.demo.DemoRecords.Run;
import dev.prefstream.launcher.demo.DemoRecords.Snapshot;
import dev.prefstream.launcher.demo.DemoRecords.VersionEval;
import dev.prefstream.launcher.demo.DemoRecords.WinRate;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes the demo's report: {@code index.html} with PNG charts beside it (label flow over time,
 * scorer agreement, training loss and implicit accuracy, win rates by version with 95% intervals)
 * and a grid of sample images per version (same prompts and seeds in every row).
 */
public final class DemoReport {
  private static final int CHART_W = 900;
  private static final int CHART_H = 420;
  /** The metric the headline and the demo's progress line judge a version by. */
  public static final String HEADLINE_METRIC = "oracle.overall";

  private DemoReport() {}

  /** Renders everything into {@code out} and returns the HTML file. */
  public static Path write(Run run, Path out) throws IOException {
    Files.createDirectories(out);
    List<String> sections = new ArrayList<>();
    sections.add("<p style=\"font-size:120%\"><b>" + html(headline(run.evals())) + "</b></p>");
    sections.add(summary(run));
    if (!run.timeline().isEmpty()) {
      save(labelFlow(run.timeline()), out.resolve("label-flow.png"));
      sections.add(figure("Label flow", "label-flow.png",
          "Cumulative records through the pipeline: votes in, pairs scored, clean and conflicting labels, "
              + "pairs relabelled by the model, dead letters."));
      save(training(run.timeline()), out.resolve("training.png"));
      sections.add(figure("Training health", "training.png",
          "Diffusion-DPO loss and implicit accuracy on the training batches (moving averages over ~20 steps; "
              + "accuracy is the share of pairs with z > 0, 0.5 means policy = reference; loss log 2 = 0.693 is chance) "
              + "and, per published version, on held-out pairs."));
    }
    if (!run.scorerAgreement().isEmpty()) {
      save(agreement(run.scorerAgreement()), out.resolve("scorer-agreement.png"));
      sections.add(figure("Scorer agreement with humans", "scorer-agreement.png",
          "Share of decided pairs on which each scorer voted with the human label."));
    }
    if (!run.evals().isEmpty()) {
      save(winRates(run.evals()), out.resolve("win-rates.png"));
      sections.add(figure("Win rate of each version over the base model", "win-rates.png",
          "Share of held-out (prompt, seed) samples where the version's image scores strictly higher than the "
              + "base's, with 95% bootstrap intervals over prompts. 0.5 = no better than the base (ties count "
              + "as not-wins)."));
      sections.add(winTable(run.evals()));
      BufferedImage grid = grid(run.baseSamples(), run.evals());
      ImageIO.write(grid, "png", out.resolve("samples.png").toFile());
      sections.add(figure("Samples per version", "samples.png",
          "Rows: the base model (v0), then each evaluated version; columns: the same held-out prompts and seeds. "
              + "Prompts: " + html(String.join(" | ", run.evals().get(0).prompts()))));
    }
    if (!run.notes().isEmpty()) {
      StringBuilder n = new StringBuilder("<h2>Notes</h2><ul>");
      run.notes().forEach(s -> n.append("<li>").append(html(s)).append("</li>"));
      sections.add(n.append("</ul>").toString());
    }
    String page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + html(run.title()) + "</title>"
        + "<style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;color:#222}"
        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
        + "th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}img{max-width:100%}"
        + "figcaption{color:#555;font-size:90%}</style></head><body><h1>" + html(run.title()) + "</h1>"
        + String.join("\n", sections) + "</body></html>";
    Path index = out.resolve("index.html");
    Files.writeString(index, page, StandardCharsets.UTF_8);
    return index;
  }

  private static String summary(Run run) {
    StringBuilder s = new StringBuilder("<h2>Run</h2><table>");
    run.settings().forEach((k, v) -> s.append("<tr><td>").append(html(k)).append("</td><td>").append(html(v))
        .append("</td></tr>"));
    if (!run.timeline().isEmpty()) {
      Snapshot last = run.timeline().get(run.timeline().size() - 1);
      row(s, "votes in", String.valueOf(last.votes()));
      row(s, "pairs scored", String.valueOf(last.scored()));
      row(s, "clean / conflicting / relabelled", last.clean() + " / " + last.conflicting() + " / " + last.relabeled());
      row(s, "dead letters", String.valueOf(last.deadLetters()));
      row(s, "training steps / last version", last.step() + " / v" + last.version());
    }
    run.pseudoPrecision().forEach((k, v) -> row(s, "pseudo-label precision (" + k + ")", fmt(v)));
    if (!run.evals().isEmpty()) {
      VersionEval last = run.evals().get(run.evals().size() - 1);
      WinRate w = last.metrics().get(HEADLINE_METRIC);
      if (w != null) {
        row(s, "<b>oracle win rate of v" + last.version() + " over the base</b>",
            "<b>" + fmt(w.rate()) + " [" + fmt(w.low()) + ", " + fmt(w.high()) + "]</b>");
      }
    }
    return s.append("</table>").toString();
  }

  /**
   * One sentence: whether the latest evaluated version is better than the base, by its oracle overall
   * win rate's 95% interval (above 0.5: better; below: worse; else not distinguishable), and by how much.
   */
  public static String headline(List<VersionEval> evals) {
    if (evals.isEmpty()) {
      return "No version was evaluated against the base in this run.";
    }
    VersionEval last = evals.get(evals.size() - 1);
    WinRate w = last.metrics().get(HEADLINE_METRIC);
    if (w == null) {
      return "v" + last.version() + " has no oracle evaluation.";
    }
    String verdict = w.low() > 0.5 ? "is better than the base" : w.high() < 0.5 ? "is WORSE than the base"
        : "is not distinguishable from the base";
    return String.format(Locale.ROOT, "The latest version, v%d (step %d), %s: its images beat the base's on %.0f%% "
        + "of held-out prompts and seeds by the oracle's overall score (95%% interval %.0f-%.0f%%; 50%% = no better).",
        last.version(), last.step(), verdict, 100 * w.rate(), 100 * w.low(), 100 * w.high());
  }

  private static void row(StringBuilder s, String k, String v) {
    s.append("<tr><td>").append(k.startsWith("<b>") ? k : html(k)).append("</td><td>")
        .append(v.startsWith("<b>") ? v : html(v)).append("</td></tr>");
  }

  private static String winTable(List<VersionEval> evals) {
    List<String> metrics = new ArrayList<>(evals.get(evals.size() - 1).metrics().keySet());
    StringBuilder s = new StringBuilder("<table><tr><th>version</th><th>step</th>");
    metrics.forEach(m -> s.append("<th>").append(html(m)).append("</th>"));
    s.append("</tr>");
    for (VersionEval e : evals) {
      s.append("<tr><td>v").append(e.version()).append("</td><td>").append(e.step()).append("</td>");
      for (String m : metrics) {
        WinRate w = e.metrics().get(m);
        s.append("<td>").append(w == null ? "" : fmt(w.rate()) + " [" + fmt(w.low()) + ", " + fmt(w.high()) + "]")
            .append("</td>");
      }
      s.append("</tr>");
    }
    return s.append("</table>").toString();
  }

  private static String figure(String title, String file, String caption) {
    return "<h2>" + html(title) + "</h2><figure><img src=\"" + file + "\" alt=\"" + html(title) + "\"><figcaption>"
        + html(caption) + "</figcaption></figure>";
  }

  static XYChart labelFlow(List<Snapshot> t) {
    XYChart c = new XYChartBuilder().width(CHART_W).height(CHART_H).title("Label flow").xAxisTitle("seconds")
        .yAxisTitle("records").build();
    style(c);
    series(c, t, "votes", Snapshot::votes);
    series(c, t, "scored", Snapshot::scored);
    series(c, t, "clean", Snapshot::clean);
    series(c, t, "conflicting", Snapshot::conflicting);
    series(c, t, "relabelled", Snapshot::relabeled);
    series(c, t, "dead letters", Snapshot::deadLetters);
    return c;
  }

  static XYChart training(List<Snapshot> t) {
    List<Snapshot> trained = t.stream().filter(s -> s.step() > 0 && Double.isFinite(s.loss())).toList();
    XYChart c = new XYChartBuilder().width(CHART_W).height(CHART_H).title("Diffusion-DPO").xAxisTitle("step")
        .yAxisTitle("value").build();
    style(c);
    if (trained.isEmpty()) {
      return c;
    }
    double[] steps = trained.stream().mapToDouble(Snapshot::step).toArray();
    c.addSeries("loss", steps, trained.stream().mapToDouble(Snapshot::loss).toArray()).setMarker(SeriesMarkers.NONE);
    c.addSeries("implicit accuracy", steps, trained.stream().mapToDouble(Snapshot::accuracy).toArray())
        .setMarker(SeriesMarkers.NONE);
    List<Snapshot> held = trained.stream().filter(s -> Double.isFinite(s.holdoutAccuracy())).toList();
    if (!held.isEmpty()) {
      c.addSeries("held-out implicit accuracy", held.stream().mapToDouble(Snapshot::step).toArray(),
          held.stream().mapToDouble(Snapshot::holdoutAccuracy).toArray());
    }
    c.addSeries("0.5", new double[] {steps[0], steps[steps.length - 1]}, new double[] {0.5, 0.5})
        .setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY);
    return c;
  }

  static CategoryChart agreement(Map<String, Double> agreement) {
    CategoryChart c = new CategoryChartBuilder().width(CHART_W).height(CHART_H).title("Scorer agreement with humans")
        .xAxisTitle("scorer").yAxisTitle("share of decided pairs").build();
    c.getStyler().setLegendVisible(false);
    c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    c.addSeries("agreement", new ArrayList<>(agreement.keySet()), new ArrayList<>(agreement.values()));
    return c;
  }

  static CategoryChart winRates(List<VersionEval> evals) {
    CategoryChart c = new CategoryChartBuilder().width(CHART_W).height(CHART_H).title("Win rate over the base model")
        .xAxisTitle("metric").yAxisTitle("win rate (95% CI)").build();
    c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setErrorBarsColor(Color.DARK_GRAY)
        .setLegendPosition(Styler.LegendPosition.OutsideE);
    c.getStyler().setXAxisLabelRotation(25);
    List<String> metrics = new ArrayList<>(evals.get(evals.size() - 1).metrics().keySet());
    for (VersionEval e : evals) {
      List<Double> rates = new ArrayList<>();
      List<Double> errors = new ArrayList<>();
      for (String m : metrics) {
        WinRate w = e.metrics().get(m);
        rates.add(w == null ? 0.0 : w.rate());
        errors.add(w == null ? 0.0 : Math.max(w.rate() - w.low(), w.high() - w.rate()));
      }
      c.addSeries("v" + e.version(), metrics, rates, errors);
    }
    return c;
  }

  /** Rows of upscaled samples: the base first, then each version. */
  static BufferedImage grid(List<RgbImage> base, List<VersionEval> evals) {
    List<String> labels = new ArrayList<>();
    List<List<RgbImage>> rows = new ArrayList<>();
    labels.add("v0");
    rows.add(base);
    evals.forEach(e -> {
      labels.add("v" + e.version());
      rows.add(e.samples());
    });
    return labelledRows(labels, rows);
  }

  /** Images in labelled rows, each scaled up 3 times, the label at the left of its row. */
  public static BufferedImage labelledRows(List<String> labels, List<List<RgbImage>> rows) {
    int cols = rows.stream().mapToInt(List::size).max().orElse(0);
    int cell = rows.stream().flatMap(List::stream).mapToInt(RgbImage::width).max().orElse(32) * 3;
    int label = 8 + 7 * labels.stream().mapToInt(String::length).max().orElse(3);
    BufferedImage out = new BufferedImage(label + Math.max(1, cols) * (cell + 2), Math.max(1, rows.size() * (cell + 2)),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.setColor(Color.BLACK);
    for (int r = 0; r < rows.size(); r++) {
      int y = r * (cell + 2);
      g.drawString(labels.get(r), 4, y + cell / 2);
      for (int i = 0; i < rows.get(r).size(); i++) {
        g.drawImage(rows.get(r).get(i).toBufferedImage(), label + i * (cell + 2), y, cell, cell, null);
      }
    }
    g.dispose();
    return out;
  }

  private static void series(XYChart c, List<Snapshot> t, String name, ToDoubleFunction<Snapshot> f) {
    XYSeries s = c.addSeries(name, t.stream().mapToDouble(Snapshot::seconds).toArray(), t.stream().mapToDouble(f).toArray());
    s.setMarker(SeriesMarkers.NONE);
  }

  private static void style(XYChart c) {
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
  }

  private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }

  /** {@code s} as HTML text: user text (prompts) is never markup. */
  public static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
