package org.diffusiontck.checks.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.diffusiontck.checks.cli.StepsStudy.Row;
import org.diffusiontck.reference.oracle.LawDistance;

/**
 * The steps study as a picture (java.awt, headless): one panel per (distance, spacing), the
 * distance against N on log-log axes, one line per sampler, with DDPM over all T steps (black,
 * dashed) and the exact probability flow (grey, dotted) as horizontal reference levels. Values
 * that are 0 or infinite cannot be drawn on a log scale and leave a gap in their line.
 */
final class StepsPlot {
  /** A distance drawn in one row of panels. */
  record Metric(String title, ToDoubleFunction<LawDistance> value) {}

  static final List<Metric> METRICS = List.of(
      new Metric("KL(sample \u2016 data), nats/dim", LawDistance::klPQ),
      new Metric("W2(sample, data) per dim", LawDistance::w2));

  /** Line colours of the samplers, in the order given; ddpm:small is drawn dashed. */
  static final int[] COLOURS = {0x1f77b4, 0x2ca02c, 0xff7f0e, 0xd62728, 0x9467bd, 0x8c564b,
      0xe377c2, 0x17becf};

  static final int PANEL_W = 420;
  static final int PANEL_H = 280;
  private static final int LEFT = 70;
  private static final int GAP_X = 40;
  private static final int TOP = 84;
  private static final int GAP_Y = 70;

  private StepsPlot() {}

  /** The picture for these rows, spacings (column order) and samplers (legend order). */
  static BufferedImage render(List<Row> rows, List<String> spacings, List<String> samplers,
      List<Integer> steps) {
    System.setProperty("java.awt.headless", "true");
    int width = LEFT + spacings.size() * (PANEL_W + GAP_X);
    int height = TOP + METRICS.size() * (PANEL_H + GAP_Y);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    legend(g, samplers);
    double xLo = Math.log10(steps.stream().mapToInt(Integer::intValue).min().orElse(1));
    double xHi = Math.log10(steps.stream().mapToInt(Integer::intValue).max().orElse(10));
    if (xHi <= xLo) {
      xHi = xLo + 1;
    }
    for (int r = 0; r < METRICS.size(); r++) {
      Metric metric = METRICS.get(r);
      double[] range = range(rows, metric);
      Row ddpm = reference(rows, StepsStudy.DDPM_ALL);
      Row flow = reference(rows, StepsStudy.FLOW);
      for (int c = 0; c < spacings.size(); c++) {
        Panel p = new Panel(LEFT + c * (PANEL_W + GAP_X), TOP + r * (PANEL_H + GAP_Y),
            xLo, xHi, range[0], range[1]);
        p.frame(g, "spacing " + spacings.get(c) + ": " + metric.title(), steps);
        p.level(g, metric.value().applyAsDouble(ddpm.distance()), Color.BLACK,
            dashed(1.5f, 8f));
        p.level(g, metric.value().applyAsDouble(flow.distance()), Color.GRAY, dashed(1.5f, 2f));
        for (int k = 0; k < samplers.size(); k++) {
          List<double[]> points = new ArrayList<>();
          for (Row row : rows) {
            if (row.spacing().equals(spacings.get(c)) && row.sampler().equals(samplers.get(k))) {
              points.add(new double[] {row.steps(), metric.value().applyAsDouble(row.distance())});
            }
          }
          p.line(g, points, new Color(COLOURS[k % COLOURS.length]),
              samplers.get(k).equals(StepsStudy.DDPM_ALL) ? dashed(2f, 6f) : new BasicStroke(2f));
        }
      }
    }
    g.dispose();
    return img;
  }

  private static Stroke dashed(float width, float dash) {
    return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {dash, dash}, 0f);
  }

  private static Row reference(List<Row> rows, String name) {
    return rows.stream().filter(r -> r.spacing().equals("-") && r.sampler().equals(name))
        .findFirst().orElseThrow();
  }

  /** log10 of the smallest and largest drawable (finite, positive) value, whole decades. */
  private static double[] range(List<Row> rows, Metric metric) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Row row : rows) {
      double v = metric.value().applyAsDouble(row.distance());
      if (v > 0 && Double.isFinite(v)) {
        lo = Math.min(lo, Math.log10(v));
        hi = Math.max(hi, Math.log10(v));
      }
    }
    if (lo > hi) {
      return new double[] {-1, 0};
    }
    lo = Math.floor(lo);
    hi = Math.ceil(hi);
    return new double[] {lo, hi > lo ? hi : lo + 1};
  }

  private static void legend(Graphics2D g, List<String> samplers) {
    int x = LEFT;
    int y = 22;
    for (int k = 0; k < samplers.size(); k++) {
      g.setColor(new Color(COLOURS[k % COLOURS.length]));
      g.setStroke(samplers.get(k).equals(StepsStudy.DDPM_ALL) ? dashed(2f, 6f)
          : new BasicStroke(2f));
      g.drawLine(x, y, x + 30, y);
      g.setColor(Color.BLACK);
      g.drawString(samplers.get(k), x + 36, y + 4);
      x += 60 + g.getFontMetrics().stringWidth(samplers.get(k));
    }
    g.setStroke(dashed(1.5f, 8f));
    g.drawLine(x, y, x + 30, y);
    g.drawString("DDPM, all T steps (small variance)", x + 36, y + 4);
    x += 60 + g.getFontMetrics().stringWidth("DDPM, all T steps (small variance)");
    g.setColor(Color.GRAY);
    g.setStroke(dashed(1.5f, 2f));
    g.drawLine(x, y, x + 30, y);
    g.setColor(Color.BLACK);
    g.drawString("exact probability flow (N \u2192 \u221e)", x + 36, y + 4);
    g.drawString("x: steps N (log scale); y: distance (log scale); ddim:1 and ddpm:small"
        + " coincide (the same sampler)", LEFT, y + 22);
  }

  /** One panel: log10 N across, log10 of the distance up. */
  private record Panel(int left, int top, double xLo, double xHi, double yLo, double yHi) {
    int x(double n) {
      return left + (int) Math.round((Math.log10(n) - xLo) / (xHi - xLo) * PANEL_W);
    }

    int y(double v) {
      return top + PANEL_H - (int) Math.round((Math.log10(v) - yLo) / (yHi - yLo) * PANEL_H);
    }

    void frame(Graphics2D g, String title, List<Integer> steps) {
      g.setStroke(new BasicStroke(1f));
      g.setColor(new Color(0xdddddd));
      for (int e = (int) yLo; e <= (int) yHi; e++) {
        g.drawLine(left, y(Math.pow(10, e)), left + PANEL_W, y(Math.pow(10, e)));
      }
      for (int n : steps) {
        g.drawLine(x(n), top, x(n), top + PANEL_H);
      }
      g.setColor(Color.BLACK);
      g.drawRect(left, top, PANEL_W, PANEL_H);
      g.drawString(title, left, top - 8);
      int step = Math.max(1, (int) Math.ceil((yHi - yLo) / 8));
      for (int e = (int) yLo; e <= (int) yHi; e += step) {
        String label = "1e" + e;
        g.drawString(label, left - 6 - g.getFontMetrics().stringWidth(label),
            y(Math.pow(10, e)) + 4);
      }
      for (int n : steps) {
        String label = Integer.toString(n);
        g.drawString(label, x(n) - g.getFontMetrics().stringWidth(label) / 2,
            top + PANEL_H + 16);
      }
      g.drawString("N", left + PANEL_W / 2, top + PANEL_H + 34);
    }

    void level(Graphics2D g, double v, Color colour, Stroke stroke) {
      if (!(v > 0 && Double.isFinite(v))) {
        return;
      }
      g.setColor(colour);
      g.setStroke(stroke);
      g.drawLine(left, y(v), left + PANEL_W, y(v));
    }

    void line(Graphics2D g, List<double[]> points, Color colour, Stroke stroke) {
      g.setColor(colour);
      double[] last = null;
      for (double[] p : points) {
        boolean drawable = p[1] > 0 && Double.isFinite(p[1]);
        if (drawable) {
          g.setStroke(new BasicStroke(1f));
          g.fillOval(x(p[0]) - 3, y(p[1]) - 3, 7, 7);
          if (last != null) {
            g.setStroke(stroke);
            g.drawLine(x(last[0]), y(last[1]), x(p[0]), y(p[1]));
          }
        }
        last = drawable ? p : null;
      }
    }
  }

  /** "1.23e-4"-style text of a distance, for the page. */
  static String format(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "\u221e";
  }
}
