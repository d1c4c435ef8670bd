package org.diffusiontck.checks.rules;

import java.util.Arrays;
import org.diffusiontck.checks.impl.Clipping;

/**
 * The treatments of x̂_0 a sampling step may apply ({@code spec/CONVENTIONS.md} §6), written from
 * their definitions: a clamp to [−1, 1] (Ho et al. 2020's {@code clip_denoised}), or Saharia et
 * al. 2022's dynamic thresholding: per sample, q = the p-quantile of |x̂_0| over its coordinates,
 * s = min(max(q, 1), maxValue), x̂_0 ← clamp(x̂_0, −s, s)/s. The quantile is numpy's default
 * "linear" method (Hyndman &amp; Fan 1996, type 7), which {@code torch.quantile} shares: with the n
 * values sorted v_0 ≤ … ≤ v_{n−1}, h = (n − 1) p, q = v_⌊h⌋ + (h − ⌊h⌋)(v_{⌊h⌋+1} − v_⌊h⌋).
 */
public final class X0Treatment {
  private X0Treatment() {}

  /** x̂_0 after {@code c} (null is NONE), {@code per} coordinates per sample; a new array. */
  public static double[] apply(Clipping c, double[] x0, int per) {
    double[] out = x0.clone();
    if (c == null || c.kind() == Clipping.Kind.NONE) {
      return out;
    }
    for (int start = 0; start < out.length; start += per) {
      double s = c.kind() == Clipping.Kind.CLIP ? 1.0
          : Math.min(Math.max(quantile(Arrays.copyOfRange(x0, start, start + per),
              c.percentile()), 1.0), c.maxValue());
      for (int i = start; i < start + per; i++) {
        out[i] = Math.min(Math.max(out[i], -s), s) / s;
      }
    }
    return out;
  }

  /** The linear-interpolation p-quantile of |values| (numpy's default method). */
  static double quantile(double[] values, double p) {
    double[] v = new double[values.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.abs(values[i]);
    }
    Arrays.sort(v);
    double h = (v.length - 1) * p;
    int j = (int) Math.floor(h);
    return j + 1 < v.length ? v[j] + (h - j) * (v[j + 1] - v[j]) : v[j];
  }
}
