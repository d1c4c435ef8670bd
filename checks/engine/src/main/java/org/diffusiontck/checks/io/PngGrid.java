package org.diffusiontck.checks.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * A batch of images [B, C, H, W] (C = 1 grey or C = 3 RGB, values in [−1, 1] as in Ho et al.
 * 2020, §3.3) drawn as one PNG grid, for looking at samples.
 *
 * <ul>
 *   <li>Levels: a value x becomes rint((x + 1) · 127.5) clamped to 0..255, so −1 is 0 (black), 1
 *       is 255 (white) and 0 is 128 (127.5 rounded half to even); anything outside [−1, 1] is
 *       clamped, and NaN is drawn as 0.
 *   <li>Layout: ⌈√B⌉ columns and as many rows as needed, images in batch order row by row; each
 *       image pixel becomes a {@code scale} × {@code scale} block; a 1-pixel line of {@link
 *       #SEPARATOR} surrounds every cell (so the picture is cols · W · scale + cols + 1 pixels
 *       wide), and cells without an image are filled with it.
 * </ul>
 */
public final class PngGrid {
  /** The colour of the separators, 0xRRGGBB: a mid blue that no grey pixel has. */
  public static final int SEPARATOR = 0x3366CC;

  private PngGrid() {}

  /** Whether a tensor of this shape is a batch of images the grid can draw: [B, 1|3, H, W]. */
  public static boolean drawable(long[] shape) {
    return shape.length == 4 && (shape[1] == 1 || shape[1] == 3) && shape[0] >= 1
        && shape[2] >= 1 && shape[3] >= 1;
  }

  /** The grey level 0..255 of a value in [−1, 1]: rint((x + 1) · 127.5), clamped; NaN is 0. */
  public static int level(double x) {
    double v = Math.rint((x + 1.0) * 127.5);
    return Double.isNaN(v) ? 0 : (int) Math.max(0.0, Math.min(255.0, v));
  }

  /** The number of columns of the grid for B images: ⌈√B⌉. */
  public static int columns(int batch) {
    int c = (int) Math.sqrt(batch);
    return c * c < batch ? c + 1 : c;
  }

  /**
   * The grid of {@code images} as an RGB picture.
   *
   * @param scale how many picture pixels per image pixel, at least 1
   * @throws IllegalArgumentException if the shape is not {@link #drawable} or the picture would be
   *     too large
   */
  public static BufferedImage render(Npy.Array images, int scale) {
    long[] shape = images.shape();
    if (!drawable(shape)) {
      throw new IllegalArgumentException(
          "images must have the shape [B, C, H, W] with C = 1 or 3, got " + Arrays.toString(shape));
    }
    if (scale < 1) {
      throw new IllegalArgumentException("scale must be at least 1, got " + scale);
    }
    int batch = (int) shape[0];
    int channels = (int) shape[1];
    int cols = columns(batch);
    int rows = (batch + cols - 1) / cols;
    long cellW = shape[3] * scale;
    long cellH = shape[2] * scale;
    long width = cols * cellW + cols + 1;
    long height = rows * cellH + rows + 1;
    if (width * height > Integer.MAX_VALUE / 4) {
      throw new IllegalArgumentException(
          "a grid of " + Arrays.toString(shape) + " at scale " + scale + " is too large: "
              + width + " × " + height + " pixels");
    }
    BufferedImage picture =
        new BufferedImage((int) width, (int) height, BufferedImage.TYPE_INT_RGB);
    int[] fill = new int[(int) (width * height)];
    Arrays.fill(fill, SEPARATOR);
    picture.setRGB(0, 0, (int) width, (int) height, fill, 0, (int) width);
    int plane = (int) (shape[2] * shape[3]);
    for (int b = 0; b < batch; b++) {
      int left = (int) ((b % cols) * (cellW + 1) + 1);
      int top = (int) ((b / cols) * (cellH + 1) + 1);
      for (int r = 0; r < shape[2]; r++) {
        for (int c = 0; c < shape[3]; c++) {
          int at = b * channels * plane + r * (int) shape[3] + c;
          int rgb = 0;
          for (int k = 0; k < 3; k++) {
            rgb = rgb << 8 | level(images.data()[at + (channels == 1 ? 0 : k * plane)]);
          }
          for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
              picture.setRGB(left + c * scale + dx, top + r * scale + dy, rgb);
            }
          }
        }
      }
    }
    return picture;
  }

  /** Writes {@link #render} of {@code images} as a PNG; does not close {@code out}. */
  public static void write(OutputStream out, Npy.Array images, int scale) throws IOException {
    if (!ImageIO.write(render(images, scale), "png", out)) {
      throw new IOException("this Java has no PNG writer");
    }
    out.flush();
  }
}
