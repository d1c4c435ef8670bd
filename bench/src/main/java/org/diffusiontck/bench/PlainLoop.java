package org.diffusiontck.bench;

/**
 * The yardstick: a_b · x[b] + c_b · y[b] over plain C-order double[] tensors [B, …], written into a
 * fresh array as the reference writes a fresh tensor.
 */
final class PlainLoop {
  private PlainLoop() {}

  /** a_b · x[b] + c_b · y[b] for each batch element b of {@code x.length / a.length} values. */
  static double[] combine(double[] a, double[] x, double[] c, double[] y) {
    double[] out = new double[x.length];
    int per = x.length / a.length;
    for (int b = 0; b < a.length; b++) {
      double ab = a[b];
      double cb = c[b];
      for (int i = b * per, end = i + per; i < end; i++) {
        out[i] = ab * x[i] + cb * y[i];
      }
    }
    return out;
  }
}
