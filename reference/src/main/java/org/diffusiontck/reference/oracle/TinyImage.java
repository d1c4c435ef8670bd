package org.diffusiontck.reference.oracle;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tiny built-in data set for golden runs and demos: five one-channel 8×8 images drawn
 * procedurally, values in [−1, 1] (background −1, strokes +1, as images scaled to [−1, 1] in Ho et
 * al. 2020, §3.3). Row r and column c run over 0..7, top-left first.
 *
 * <p>Derivation: {@code spec/derivations/gaussian-oracle.md} §7.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public enum TinyImage {
  /** A plus sign: +1 on rows 3–4 and on columns 3–4. */
  CROSS(strokes((r, c) -> r == 3 || r == 4 || c == 3 || c == 4)),
  /** The outline of a 6×6 square: +1 where r or c is 1 or 6, with both in 1..6. */
  SQUARE(strokes(
      (r, c) -> r >= 1 && r <= 6 && c >= 1 && c <= 6 && (r == 1 || r == 6 || c == 1 || c == 6))),
  /** The main diagonal: +1 where r = c. */
  DIAGONAL(strokes((r, c) -> r == c)),
  /** A checkerboard of 2×2 squares: +1 where ⌊r/2⌋ + ⌊c/2⌋ is even. */
  CHECKERBOARD(strokes((r, c) -> (r / 2 + c / 2) % 2 == 0)),
  /** A horizontal ramp, the one image that is not black and white: −1 + 2c/7. */
  GRADIENT((r, c) -> -1.0 + 2.0 * c / 7);

  /** The side of every image. */
  public static final int SIZE = 8;

  private final Pixels pixels;

  TinyImage(Pixels pixels) {
    this.pixels = pixels;
  }

  /** The pixel at row r, column c. */
  public double pixel(int r, int c) {
    if (r < 0 || r >= SIZE || c < 0 || c >= SIZE) {
      throw new IllegalArgumentException(
          "pixel (r, c) must lie in 0.." + (SIZE - 1) + ", got (" + r + ", " + c + ")");
    }
    return pixels.at(r, c);
  }

  /** The image as a tensor [1, 8, 8] (one channel). */
  public INDArray image() {
    return Nd4j.createFromArray(new double[][][] {rows()});
  }

  /** All five images, in declaration order, as a data set [5, 1, 8, 8]. */
  public static INDArray dataSet() {
    TinyImage[] all = values();
    double[][][][] out = new double[all.length][][][];
    for (int k = 0; k < all.length; k++) {
      out[k] = new double[][][] {all[k].rows()};
    }
    return Nd4j.createFromArray(out);
  }

  private double[][] rows() {
    double[][] out = new double[SIZE][SIZE];
    for (int r = 0; r < SIZE; r++) {
      for (int c = 0; c < SIZE; c++) {
        out[r][c] = pixel(r, c);
      }
    }
    return out;
  }

  /** A black-and-white image: +1 where {@code stroke} holds, −1 elsewhere. */
  private static Pixels strokes(Stroke stroke) {
    return (r, c) -> stroke.on(r, c) ? 1.0 : -1.0;
  }

  @FunctionalInterface
  private interface Pixels {
    double at(int r, int c);
  }

  @FunctionalInterface
  private interface Stroke {
    boolean on(int r, int c);
  }
}
