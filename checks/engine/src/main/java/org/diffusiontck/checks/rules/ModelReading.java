package org.diffusiontck.checks.rules;

import java.util.Arrays;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Prediction;

/**
 * How a sampling step reads a model output o at (x_t, t), written from the definitions with a =
 * √ᾱ_t and b = √(1 − ᾱ_t): x_t = a x_0 + b ε (Ho et al. 2020, eq. 4) and v = a ε − b x_0
 * (Salimans &amp; Ho 2022, §4), so that x̂_0 = k₁ x_t + k₂ o and ε̂ = l₁ x_t + l₂ o with
 *
 * <pre>
 *   ε-prediction: x̂_0 = (x_t − b o)/a,  ε̂ = o
 *   x_0:          x̂_0 = o,              ε̂ = (x_t − a o)/b
 *   v:            x̂_0 = a x_t − b o,    ε̂ = b x_t + a o
 * </pre>
 *
 * then x̂_0 treated by the clipping option ({@link X0Treatment}). Each value carries its rounding
 * scale: the sum of the magnitudes of the terms that form it, to which an implementation's rounding
 * error is proportional (large where a conversion is ill-conditioned, e.g. ε → x_0 near t = T).
 *
 * @param x0 x̂_0 after the treatment
 * @param x0Scale the rounding scale of x̂_0 (for dynamic thresholding, twice the largest of its
 *     sample: the threshold moves with the largest error)
 * @param eps ε̂
 * @param epsScale the rounding scale of ε̂
 */
public record ModelReading(double[] x0, double[] x0Scale, double[] eps, double[] epsScale) {

  /** The output o describing (x_0, ε) at (a, b) for prediction {@code p}. */
  public static double output(Prediction p, double a, double b, double x0, double eps) {
    return switch (p) {
      case EPSILON -> eps;
      case X0 -> x0;
      case V -> a * eps - b * x0;
    };
  }

  /**
   * Reads {@code out} at (x_t, t) with ᾱ_t and 1 − ᾱ_t given to full precision; {@code per}
   * coordinates per batch element.
   */
  public static ModelReading of(Prediction p, double alphaBar, double oneMinusAlphaBar,
      Clipping clipping, double[] xt, double[] out, int per) {
    double a = Math.sqrt(alphaBar);
    double b = Math.sqrt(oneMinusAlphaBar);
    double[] k = switch (p) {
      case EPSILON -> new double[] {1 / a, -b / a, 0, 1};
      case X0 -> new double[] {0, 1, 1 / b, -a / b};
      case V -> new double[] {a, -b, b, a};
    };
    int n = xt.length;
    double[] x0 = new double[n];
    double[] x0Scale = new double[n];
    double[] eps = new double[n];
    double[] epsScale = new double[n];
    for (int i = 0; i < n; i++) {
      x0[i] = k[0] * xt[i] + k[1] * out[i];
      x0Scale[i] = Math.abs(k[0] * xt[i]) + Math.abs(k[1] * out[i]);
      eps[i] = k[2] * xt[i] + k[3] * out[i];
      epsScale[i] = Math.abs(k[2] * xt[i]) + Math.abs(k[3] * out[i]);
    }
    Clipping.Kind kind = clipping == null ? Clipping.Kind.NONE : clipping.kind();
    if (kind == Clipping.Kind.DYNAMIC) {
      for (int start = 0; start < n; start += per) {
        double worst = 0;
        for (int i = start; i < start + per; i++) {
          worst = Math.max(worst, x0Scale[i]);
        }
        Arrays.fill(x0Scale, start, start + per, 2 * worst);
      }
    }
    return new ModelReading(X0Treatment.apply(clipping, x0, per), x0Scale, eps, epsScale);
  }

  /**
   * The same x̂_0 with ε̂ recomputed from it, (x_t − a x̂_0)/b: DDIM's {@code
   * RECOMPUTED_FROM_CLIPPED_X0}.
   */
  public ModelReading withEpsFromX0(double alphaBar, double oneMinusAlphaBar, double[] xt) {
    double a = Math.sqrt(alphaBar);
    double b = Math.sqrt(oneMinusAlphaBar);
    double[] e = new double[xt.length];
    double[] scale = new double[xt.length];
    for (int i = 0; i < xt.length; i++) {
      e[i] = (xt[i] - a * x0[i]) / b;
      scale[i] = (Math.abs(xt[i]) + a * (Math.abs(x0[i]) + x0Scale[i])) / b;
    }
    return new ModelReading(x0, x0Scale, e, scale);
  }
}
