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

  /**
   * One sampling step: x̂ = p_b · xt[b] + q_b · e[b], clamped to [−1, 1] if {@code clip}, then
   * a_b · x̂ + c_b · y[b] + d_b · z[b] for each batch element b; the last term is left out where
   * d_b = 0.
   */
  static double[] step(double[] p, double[] xt, double[] q, double[] e, boolean clip,
      double[] a, double[] c, double[] y, double[] d, double[] z) {
    double[] out = new double[xt.length];
    int per = xt.length / p.length;
    for (int b = 0; b < p.length; b++) {
      double pb = p[b];
      double qb = q[b];
      double ab = a[b];
      double cb = c[b];
      double db = d[b];
      for (int i = b * per, end = i + per; i < end; i++) {
        double x0 = pb * xt[i] + qb * e[i];
        if (clip) {
          x0 = Math.min(Math.max(x0, -1.0), 1.0);
        }
        out[i] = db == 0.0 ? ab * x0 + cb * y[i] : ab * x0 + cb * y[i] + db * z[i];
      }
    }
    return out;
  }
}
