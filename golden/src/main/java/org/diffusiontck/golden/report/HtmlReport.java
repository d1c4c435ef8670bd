package org.diffusiontck.golden.report;

import static org.diffusiontck.golden.check.Comparison.db;
import static org.diffusiontck.golden.check.Comparison.num;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.diffusiontck.golden.check.Check;
import org.diffusiontck.golden.check.SampleDiff;

/**
 * The HTML report of a golden verification or comparison, one self-contained file (pictures as
 * data URIs, charts as inline SVG): the verdict, the checks with observed values against
 * tolerances, the loss curve of the record against now, and for each sampler and seed the golden
 * sample, the candidate and a heat map of their difference on the scale 0..tolerance.
 */
public final class HtmlReport {
  /** Screen pixels per tile side, at least: small samples are enlarged to this. */
  private static final int TILE = 64;
  private static final int CHART_W = 760;
  private static final int CHART_H = 260;
  private static final int PAD = 48;
  private static final int RIGHT = 28;
  private static final int TOP = 28;

  private HtmlReport() {}

  public static void write(Verdict v, Writer w) throws IOException {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(esc(v.summary())).append("</title>\n<style>\n").append(CSS).append("</style>\n")
        .append("</head>\n<body>\n");
    header(v, h);
    checks(v, h);
    if (v.loss() != null) {
      lossCurve(v, h);
    }
    samples(v, h);
    h.append("</body>\n</html>\n");
    w.write(h.toString());
  }

  private static void header(Verdict v, StringBuilder h) {
    h.append("<header class=\"").append(v.passed() ? "pass" : "fail").append("\">\n<h1>")
        .append(esc("golden " + v.command() + " " + v.record() + ": "))
        .append(v.passed() ? "PASSED" : "FAILED").append("</h1>\n<p>")
        .append(esc(v.summary())).append("</p>\n</header>\n<dl>\n");
    item(h, v.command().equals("compare") ? "candidate" : "model", v.model());
    if (v.environment() != null) {
      item(h, "environment", v.environment().key() + " — " + v.environment().runtime() + ", "
          + v.environment().provider());
    }
    item(h, "tolerance", v.tolerance().why());
    h.append("</dl>\n");
    for (String note : v.notes()) {
      h.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
    }
  }

  private static void item(StringBuilder h, String term, String text) {
    h.append("<dt>").append(esc(term)).append("</dt><dd>").append(esc(text)).append("</dd>\n");
  }

  /**
   * The checks; the per-seed sample checks are shown as one row per sampler (its worst seed),
   * every seed being in the Samples section.
   */
  private static void checks(Verdict v, StringBuilder h) {
    h.append("<section>\n<h2>Checks</h2>\n<table class=\"checks\">\n<tr><th>check</th>"
        + "<th>result</th><th>observed</th><th>allowed</th><th>where</th></tr>\n");
    Map<String, List<SampleDiff>> bySampler = new LinkedHashMap<>();
    v.diffs().forEach(d -> bySampler.computeIfAbsent(d.sampler(), k -> new ArrayList<>()).add(d));
    for (Map.Entry<String, List<SampleDiff>> e : bySampler.entrySet()) {
      List<SampleDiff> ds = e.getValue();
      SampleDiff worst = ds.stream().max(Comparator.comparingDouble(SampleDiff::maxAbs)).get();
      long failed = ds.stream().filter(d -> !d.passed()).count();
      checkRow(h, new Check(Check.GOLDEN + "-SAMPLE/" + e.getKey(),
          "every " + e.getKey() + " sample matches the record (" + ds.size() + " seeds)",
          failed == 0, failed + " of " + ds.size() + " seeds outside; worst max |Δ| "
              + num(worst.maxAbs()) + ", lowest PSNR " + db(ds.stream()
                  .mapToDouble(SampleDiff::psnr).min().getAsDouble()),
          "max |Δ| ≤ " + num(v.tolerance().sampleMaxAbs()) + ", PSNR ≥ "
              + db(v.tolerance().samplePsnrDb()),
          "seed " + Long.toUnsignedString(worst.seed()) + ", pixel "
              + worst.worstPixelText()));
    }
    for (Check c : v.checks()) {
      if (!c.id().startsWith(Check.GOLDEN + "-SAMPLE/")) {
        checkRow(h, c);
      }
    }
    h.append("</table>\n</section>\n");
  }

  private static void checkRow(StringBuilder h, Check c) {
    h.append("<tr class=\"").append(c.passed() ? "pass" : "fail").append("\"><td><b>")
        .append(esc(c.id())).append("</b><br><small>").append(esc(c.statement()))
        .append("</small></td><td>").append(c.passed() ? "pass" : "FAIL").append("</td><td>")
        .append(esc(c.observed())).append("</td><td>").append(esc(c.allowed()))
        .append("</td><td>").append(esc(c.where())).append("</td></tr>\n");
  }

  /** The loss per t of the record and of now (log scale), and |Δ| against its allowance. */
  private static void lossCurve(Verdict v, StringBuilder h) {
    double[] rec = v.recordedLoss();
    double[] now = v.loss();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] series : new double[][] {rec, now, v.zeroLoss()}) {
      if (series != null) {
        for (double x : series) {
          if (x > 0 && Double.isFinite(x)) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
          }
        }
      }
    }
    double decadeLo = Math.floor(Math.log10(lo));
    double decadeHi = Math.max(Math.ceil(Math.log10(hi)), decadeLo + 1);
    h.append("<section>\n<h2>Denoising loss per timestep</h2>\n<p>Mean squared error of the"
        + " model's output on the evaluation batch at each t, record against now; the grey line"
        + " is the loss of predicting zero.</p>\n");
    Map<String, double[]> lines = new LinkedHashMap<>();
    if (v.zeroLoss() != null) {
      lines.put("zero", v.zeroLoss());
    }
    lines.put("record", rec);
    lines.put("now", now);
    chart(h, lines, decadeLo, decadeHi, "loss", Double.NaN);
    double[] ratio = new double[rec.length];
    for (int i = 0; i < rec.length; i++) {
      double allowed = v.tolerance().lossAbs() + v.tolerance().lossRel() * Math.abs(rec[i]);
      ratio[i] = Math.abs(now[i] - rec[i]) / allowed;
    }
    h.append("<p>|now − record| as a fraction of the allowance at each t: above the red line"
        + " (1) a timestep fails.</p>\n");
    chart(h, Map.of("ratio", ratio), -4, 2, "|Δ| / allowed", 0);
    h.append("</section>\n");
  }

  /** A log-scale line chart over t = 1..T; a red rule at 10^{@code rule} unless NaN. */
  private static void chart(StringBuilder h, Map<String, double[]> lines, double decadeLo,
      double decadeHi, String label, double rule) {
    int n = lines.values().iterator().next().length;
    DoubleUnaryOperator x = t -> PAD + (CHART_W - PAD - RIGHT) * (t - 1) / Math.max(n - 1, 1);
    DoubleUnaryOperator y = value -> {
      double l = value > 0 ? Math.log10(value) : decadeLo;
      l = Math.min(Math.max(l, decadeLo), decadeHi);
      return TOP + (CHART_H - TOP - 28) * (decadeHi - l) / (decadeHi - decadeLo);
    };
    h.append(String.format(Locale.ROOT,
        "<svg class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\""
            + " aria-label=\"%s\">\n", CHART_W, CHART_H, CHART_W, CHART_H, esc(label)));
    for (double d = decadeLo; d <= decadeHi; d++) {
      double yy = y.applyAsDouble(Math.pow(10, d));
      h.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\""
          + " class=\"grid\"/><text x=\"%d\" y=\"%.1f\" class=\"tick\">1e%d</text>\n", PAD,
          CHART_W - RIGHT, yy, yy, PAD - 6, yy + 4, (int) d));
    }
    for (int k = 0; k <= 4; k++) {
      int t = 1 + (int) Math.round((n - 1) * k / 4.0);
      h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"tick x\">t = %d"
          + "</text>\n", x.applyAsDouble(t), CHART_H - 8, t));
    }
    if (!Double.isNaN(rule)) {
      double yy = y.applyAsDouble(Math.pow(10, rule));
      h.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\""
          + " class=\"rule\"/>\n", PAD, CHART_W - RIGHT, yy, yy));
    }
    for (Map.Entry<String, double[]> e : lines.entrySet()) {
      StringBuilder points = new StringBuilder();
      double[] s = e.getValue();
      for (int i = 0; i < s.length; i++) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.applyAsDouble(i + 1),
            y.applyAsDouble(s[i])));
      }
      h.append("<polyline class=\"").append(e.getKey()).append("\" points=\"")
          .append(points.toString().strip()).append("\"/>\n");
    }
    int lx = PAD;
    for (String name : lines.keySet()) {
      h.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"12\" y2=\"12\""
          + " class=\"%s\"/><text x=\"%d\" y=\"16\" class=\"legend\">%s</text>\n", lx, lx + 24,
          name, lx + 30, esc(name)));
      lx += 120;
    }
    h.append("</svg>\n");
  }

  /** Per sampler, one column per seed: golden, now (or candidate), |difference|, figures. */
  private static void samples(Verdict v, StringBuilder h) {
    double limit = v.tolerance().sampleMaxAbs();
    String other = v.command().equals("compare") ? "candidate" : "now";
    h.append("<section>\n<h2>Samples</h2>\n<p>For each seed: the golden sample, the ")
        .append(v.command().equals("compare") ? "candidate's" : "recomputed one (now)")
        .append(", and |difference| per pixel on this scale: ")
        .append("<span class=\"scale\">0 ").append(img(scaleBar(), 256, 12)).append(' ')
        .append(esc(num(limit))).append("</span> (the tolerance; white at and above it).</p>\n");
    Map<String, List<SampleDiff>> bySampler = new LinkedHashMap<>();
    v.diffs().forEach(d -> bySampler.computeIfAbsent(d.sampler(), k -> new ArrayList<>()).add(d));
    for (Map.Entry<String, List<SampleDiff>> e : bySampler.entrySet()) {
      List<SampleDiff> ds = e.getValue();
      h.append("<h3>").append(esc(e.getKey())).append("</h3>\n<table class=\"samples\">\n");
      row(h, "seed", ds, d -> Long.toUnsignedString(d.seed()), d -> "");
      row(h, "golden", ds, d -> picture(d, d.golden(), v.dataRange()), d -> "");
      row(h, other, ds, d -> picture(d, d.candidate(), v.dataRange()), d -> "");
      row(h, "|difference|", ds, d -> img(Images.heatMap(d.golden(), d.candidate(), d.shape(),
          limit, scale(d)), 0, 0), d -> "");
      row(h, "max |Δ|", ds, d -> esc(num(d.maxAbs())), d -> d.passed() ? "" : "fail");
      row(h, "PSNR", ds, d -> db(d.psnr()), d -> d.passed() ? "" : "fail");
      row(h, "worst pixel", ds, d -> esc(d.worstPixelText()), d -> "");
      row(h, "result", ds, d -> d.passed() ? "pass" : "FAIL", d -> d.passed() ? "pass" : "fail");
      h.append("</table>\n");
    }
    h.append("</section>\n");
  }

  /** One row of a sampler's table: a header cell, then one cell per seed. */
  private static void row(StringBuilder h, String head, List<SampleDiff> ds,
      Function<SampleDiff, String> cell, Function<SampleDiff, String> cssClass) {
    h.append("<tr><th>").append(esc(head)).append("</th>");
    for (SampleDiff d : ds) {
      String c = cssClass.apply(d);
      h.append(c.isEmpty() ? "<td>" : "<td class=\"" + c + "\">").append(cell.apply(d))
          .append("</td>");
    }
    h.append("</tr>\n");
  }

  private static String picture(SampleDiff d, double[] values, double[] range) {
    return img(Images.sample(values, d.shape(), range[0], range[1], scale(d)), 0, 0);
  }

  /** Enlarges small samples to about {@value #TILE} screen pixels. */
  private static int scale(SampleDiff d) {
    long[] s = d.shape();
    return Math.max(1, TILE / (int) Math.max(s[s.length - 1], s[s.length - 2]));
  }

  private static BufferedImage scaleBar() {
    BufferedImage bar = new BufferedImage(256, 12, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 256; x++) {
      for (int y = 0; y < 12; y++) {
        bar.setRGB(x, y, Images.heat(x / 255.0));
      }
    }
    return bar;
  }

  /** An img element holding the picture as a PNG data URI (at its own size when w = 0). */
  private static String img(BufferedImage picture, int w, int h) {
    String size = w > 0 ? " width=\"" + w + "\" height=\"" + h + "\"" : " width=\""
        + picture.getWidth() + "\" height=\"" + picture.getHeight() + "\"";
    return "<img alt=\"\"" + size + " src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(Images.png(picture)) + "\">";
  }

  /** Escapes text for HTML. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static final String CSS = String.join("\n", List.of(
      "body { font-family: system-ui, sans-serif; margin: 24px; color: #222; max-width: 1100px; }",
      "header { padding: 8px 16px; border-radius: 6px; }",
      "header.pass { background: #e6f4ea; border: 1px solid #2e7d32; }",
      "header.fail { background: #fdecea; border: 1px solid #c62828; }",
      "h1 { margin: 8px 0; font-size: 24px; }",
      "dl { display: grid; grid-template-columns: max-content auto; gap: 4px 16px; }",
      "dt { font-weight: bold; } dd { margin: 0; }",
      ".note { background: #fff8e1; padding: 6px 10px; border-left: 4px solid #f9a825; }",
      "table { border-collapse: collapse; margin: 8px 0 16px; }",
      "th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left;"
          + " vertical-align: middle; font-size: 14px; }",
      "th { background: #f3f3f3; }",
      "tr.fail td { background: #fdecea; } tr.fail td:nth-child(2) { color: #c62828;"
          + " font-weight: bold; }",
      "table.samples td.fail { background: #fdecea; color: #c62828; font-weight: bold; }",
      "table.samples td { text-align: center; }",
      "img { image-rendering: pixelated; display: block; }",
      ".scale img { display: inline-block; vertical-align: middle; }",
      ".scale { white-space: nowrap; }",
      "svg.chart { background: #fafafa; border: 1px solid #ddd; display: block;"
          + " margin: 8px 0; }",
      ".grid { stroke: #e0e0e0; } .rule { stroke: #c62828; stroke-width: 1.5; }",
      ".tick { font-size: 11px; fill: #555; text-anchor: end; } .tick.x { text-anchor: middle; }",
      ".legend { font-size: 12px; fill: #333; }",
      "polyline { fill: none; stroke-width: 1.5; }",
      ".zero { stroke: #9e9e9e; stroke-dasharray: 4 3; fill: none; }",
      ".record { stroke: #1565c0; } .now { stroke: #ef6c00; stroke-dasharray: 6 3; }",
      ".ratio { stroke: #6a1b9a; }",
      "line.record, line.now, line.zero, line.ratio { stroke-width: 2; }",
      "")) + "\n";
}
