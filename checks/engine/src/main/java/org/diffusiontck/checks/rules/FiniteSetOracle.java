package org.diffusiontck.checks.rules;

import java.util.Arrays;
import org.diffusiontck.checks.impl.Prediction;

/**
 * Data uniform on a finite set {p_1, …, p_K} ⊂ R^d diffused by q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t)
 * I): by Bayes' rule the posterior over the points is a softmax, so the optimal model is exact
 * (spec/derivations/loops.md, "The finite-set oracle"):
 *
 * <pre>
 *   w_i(x_t) ∝ exp(−|x_t − √ᾱ_t p_i|² / (2 (1 − ᾱ_t)))
 *   x̂_0(x_t) = Σ_i w_i p_i,   ε̂ = (x_t − √ᾱ_t x̂_0) / √(1 − ᾱ_t)
 *   ∂x̂_0/∂x_t = √ᾱ_t Cov_w(p) / (1 − ᾱ_t)   (symmetric, positive semi-definite)
 * </pre>
 *
 * @param points the set, one row of length d per point
 */
public record FiniteSetOracle(double[][] points) {

  /** d, the length of one sample. */
  public int size() {
    return points[0].length;
  }

  /** max |p_i − p_j|, the set's diameter. */
  public double diameter() {
    double D = 0;
    for (double[] p : points) {
      for (double[] q : points) {
        D = Math.max(D, Math.sqrt(squaredDistance(p, q, 1)));
      }
    }
    return D;
  }

  /** The posterior weights w_i at one sample x (length d), by a shifted softmax. */
  public double[] weights(double[] x, double alphaBar, double oneMinusAlphaBar) {
    double a = Math.sqrt(alphaBar);
    double[] log = new double[points.length];
    for (int i = 0; i < points.length; i++) {
      log[i] = -squaredDistance(x, points[i], a) / (2 * oneMinusAlphaBar);
    }
    double max = Arrays.stream(log).max().orElseThrow();
    double sum = 0;
    double[] w = new double[points.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = Math.exp(log[i] - max);
      sum += w[i];
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= sum;
    }
    return w;
  }

  /** x̂_0 = Σ w_i p_i at one sample x. */
  public double[] x0(double[] x, double alphaBar, double oneMinusAlphaBar) {
    double[] w = weights(x, alphaBar, oneMinusAlphaBar);
    double[] x0 = new double[size()];
    for (int i = 0; i < points.length; i++) {
      for (int j = 0; j < x0.length; j++) {
        x0[j] += w[i] * points[i][j];
      }
    }
    return x0;
  }

  /** tr Cov_w(p) = Σ w_i |p_i − x̂_0|² at one sample x. */
  public double traceCovariance(double[] x, double alphaBar, double oneMinusAlphaBar) {
    double[] w = weights(x, alphaBar, oneMinusAlphaBar);
    double[] mean = x0(x, alphaBar, oneMinusAlphaBar);
    double tr = 0;
    for (int i = 0; i < points.length; i++) {
      tr += w[i] * squaredDistance(mean, points[i], 1);
    }
    return tr;
  }

  /**
   * The optimal model's output for prediction {@code p} at x_t (a batch of samples of length d
   * each, t ≥ 1): x̂_0, ε̂ = (x_t − √ᾱ_t x̂_0)/√(1 − ᾱ_t), or v̂ = √ᾱ_t ε̂ − √(1 − ᾱ_t) x̂_0.
   */
  public double[] output(Prediction p, double[] xt, double alphaBar, double oneMinusAlphaBar) {
    double a = Math.sqrt(alphaBar);
    double b = Math.sqrt(oneMinusAlphaBar);
    int d = size();
    double[] out = new double[xt.length];
    for (int start = 0; start < xt.length; start += d) {
      double[] x0 = x0(Arrays.copyOfRange(xt, start, start + d), alphaBar, oneMinusAlphaBar);
      for (int j = 0; j < d; j++) {
        double eps = (xt[start + j] - a * x0[j]) / b;
        out[start + j] = ModelReading.output(p, a, b, x0[j], eps);
      }
    }
    return out;
  }

  /** |x − a p|². */
  private static double squaredDistance(double[] x, double[] p, double a) {
    double s = 0;
    for (int j = 0; j < x.length; j++) {
      double e = x[j] - a * p[j];
      s += e * e;
    }
    return s;
  }

  @Override
  public String toString() {
    return Arrays.deepToString(points);
  }
}
