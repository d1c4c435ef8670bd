package org.diffusiontck.golden.record;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Samples as rows of C-order pixels: positions, differences. */
public final class Pixels {
  private Pixels() {}

  /** The multi-index of C-order {@code flat} in {@code shape}, as "(c, h, w)". */
  public static String index(int flat, long[] shape) {
    long[] idx = new long[shape.length];
    long rest = flat;
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = rest % shape[d];
      rest /= shape[d];
    }
    StringBuilder b = new StringBuilder("(");
    for (int d = 0; d < idx.length; d++) {
      b.append(d == 0 ? "" : ", ").append(idx[d]);
    }
    return b.append(')').toString();
  }

  /** The RMS difference of two equally long arrays. */
  public static double rms(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return Math.sqrt(sum / a.length);
  }

  /** The batch [S, …] as S rows of pixels in C order. */
  public static double[][] rows(INDArray x, int n) {
    double[] v = x.dup('c').data().asDouble();
    int d = v.length / n;
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOfRange(v, i * d, (i + 1) * d);
    }
    return out;
  }
}
