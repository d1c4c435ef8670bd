package org.diffusiontck.golden.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Pictures of samples as PNG: a sample [C, H, W] is shown with C = 1 as grey, C = 3 as RGB
 * (otherwise its first channel as grey), the data range [lo, hi] mapped to black..white and
 * clamped, each pixel drawn as a square of {@code scale} × {@code scale} screen pixels.
 */
public final class Images {
  /** The gap between the tiles of a grid, in screen pixels. */
  private static final int GAP = 2;

  private Images() {}

  /** One sample [C, H, W] (values in C order) as an image. */
  public static BufferedImage sample(double[] values, long[] shape, double lo, double hi,
      int scale) {
    return grid(new double[][] {values}, shape, lo, hi, scale, 1);
  }

  /** Samples side by side, {@code columns} per row, on a mid-grey background. */
  public static BufferedImage grid(double[][] samples, long[] shape, double lo, double hi,
      int scale, int columns) {
    int c = shape.length == 3 ? (int) shape[0] : 1;
    int h = (int) shape[shape.length - 2];
    int w = (int) shape[shape.length - 1];
    int rows = (samples.length + columns - 1) / columns;
    int tileW = w * scale;
    int tileH = h * scale;
    BufferedImage img = new BufferedImage(columns * (tileW + GAP) - GAP,
        rows * (tileH + GAP) - GAP, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        img.setRGB(x, y, 0x808080);
      }
    }
    for (int s = 0; s < samples.length; s++) {
      int x0 = (s % columns) * (tileW + GAP);
      int y0 = (s / columns) * (tileH + GAP);
      for (int r = 0; r < h; r++) {
        for (int q = 0; q < w; q++) {
          int rgb = c == 3
              ? level(samples[s][r * w + q], lo, hi) << 16
                  | level(samples[s][h * w + r * w + q], lo, hi) << 8
                  | level(samples[s][2 * h * w + r * w + q], lo, hi)
              : grey(level(samples[s][r * w + q], lo, hi));
          fill(img, x0 + q * scale, y0 + r * scale, scale, rgb);
        }
      }
    }
    return img;
  }

  /**
   * A heat map of |candidate − golden| [C, H, W] (largest over channels) on the scale 0..{@code
   * limit}: black at 0 through red and yellow to white at the limit and beyond; NaN is blue.
   */
  public static BufferedImage heatMap(double[] golden, double[] candidate, long[] shape,
      double limit, int scale) {
    int c = shape.length == 3 ? (int) shape[0] : 1;
    int h = (int) shape[shape.length - 2];
    int w = (int) shape[shape.length - 1];
    BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < h; r++) {
      for (int q = 0; q < w; q++) {
        double d = 0;
        for (int k = 0; k < c; k++) {
          int i = k * h * w + r * w + q;
          double e = Math.abs(candidate[i] - golden[i]);
          d = Double.isNaN(e) || Double.isNaN(d) ? Double.NaN : Math.max(d, e);
        }
        fill(img, q * scale, r * scale, scale, heat(d / limit));
      }
    }
    return img;
  }

  /** The heat colour of u = difference / limit: black, red, yellow, white; blue for NaN. */
  public static int heat(double u) {
    if (Double.isNaN(u)) {
      return 0x2060ff;
    }
    double v = Math.min(Math.max(u, 0), 1) * 3;
    int r = (int) Math.round(255 * Math.min(v, 1));
    int g = (int) Math.round(255 * Math.min(Math.max(v - 1, 0), 1));
    int b = (int) Math.round(255 * Math.min(Math.max(v - 2, 0), 1));
    return r << 16 | g << 8 | b;
  }

  /** The image as PNG bytes. */
  public static byte[] png(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("writing a PNG in memory failed", e);
    }
    return out.toByteArray();
  }

  /** v in [lo, hi] as 0..255, clamped; NaN as 0. */
  private static int level(double v, double lo, double hi) {
    if (Double.isNaN(v)) {
      return 0;
    }
    double u = (v - lo) / (hi - lo);
    return (int) Math.round(255 * Math.min(Math.max(u, 0), 1));
  }

  private static int grey(int level) {
    return level << 16 | level << 8 | level;
  }

  private static void fill(BufferedImage img, int x, int y, int size, int rgb) {
    for (int dy = 0; dy < size; dy++) {
      for (int dx = 0; dx < size; dx++) {
        img.setRGB(x + dx, y + dy, rgb);
      }
    }
  }
}
