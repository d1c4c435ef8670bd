package org.diffusiontck.reference.sampling;

import java.util.Arrays;
import org.diffusiontck.reference.Require;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What a sampler does to the predicted x̂_0 before using it ({@code spec/CONVENTIONS.md}, "Clipping
 * x̂_0"): {@link #NONE} (default), {@link #CLIP} to [−1, 1], or {@link #dynamicThresholding}.
 *
 * <p>Derivation: {@code spec/derivations/ddpm.md} §6.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public sealed interface X0Clipping {
  /** x̂_0 is used as predicted. Default. */
  X0Clipping NONE = new None();

  /**
   * x̂_0 is clamped to [−1, 1] coordinate by coordinate (Ho et al. 2020's code, {@code
   * clip_denoised}; diffusers' {@code clip_sample}).
   */
  X0Clipping CLIP = new Clip();

  /** Saharia et al. 2022's dynamic thresholding with percentile p and cap maxValue. */
  static X0Clipping dynamicThresholding(double p, double maxValue) {
    return new DynamicThresholding(p, maxValue);
  }

  /** A new tensor: x̂_0 after this treatment; {@code x0} itself is not modified. */
  INDArray apply(INDArray x0);

  /**
   * x̂_0 after this treatment, written over {@code x0} where the treatment allows (x0 itself is
   * returned), else a new tensor: for an x̂_0 its caller has just made and owns, which saves the
   * copy {@link #apply} makes.
   */
  default INDArray applyInPlace(INDArray x0) {
    return apply(x0);
  }

  /** Whether this treatment can change x̂_0 at all. */
  default boolean active() {
    return true;
  }

  /** No treatment. */
  record None() implements X0Clipping {
    @Override
    public INDArray apply(INDArray x0) {
      return x0.dup();
    }

    @Override
    public INDArray applyInPlace(INDArray x0) {
      return x0;
    }

    @Override
    public boolean active() {
      return false;
    }
  }

  /** Clamp to [−1, 1]. */
  record Clip() implements X0Clipping {
    @Override
    public INDArray apply(INDArray x0) {
      return applyInPlace(x0.dup());
    }

    @Override
    public INDArray applyInPlace(INDArray x0) {
      return Transforms.min(Transforms.max(x0, -1.0, false), 1.0, false);
    }
  }

  /**
   * Dynamic thresholding (Saharia et al. 2022, §2.3; diffusers' {@code _threshold_sample}): per
   * batch element b, q_b is the p-quantile of |x̂_0[b]| over all its non-batch coordinates, s_b =
   * min(max(q_b, 1), maxValue), and x̂_0[b] is clamped to [−s_b, s_b] and divided by s_b. With
   * maxValue = +∞ this is the paper's s = max(quantile, 1); diffusers' {@code sample_max_value}
   * caps it.
   *
   * <p>The quantile is numpy's and torch's default "linear" method (Hyndman &amp; Fan 1996, type
   * 7): with the n values sorted ascending v_0 ≤ … ≤ v_{n−1}, h = (n − 1)·p, j = ⌊h⌋, γ = h − j,
   * it is v_j + γ (v_{j+1} − v_j) for γ &lt; 0.5 and v_{j+1} − (1 − γ)(v_{j+1} − v_j) otherwise
   * (the two-sided lerp both libraries use; v_{j+1} := v_{n−1} when j = n − 1).
   *
   * @param p the percentile as a fraction, in [0, 1] (diffusers' {@code
   *     dynamic_thresholding_ratio}, 0.995 by default)
   * @param maxValue the cap on s, at least 1, may be +∞
   */
  record DynamicThresholding(double p, double maxValue) implements X0Clipping {
    public DynamicThresholding {
      Require.inClosed("p", p, 0.0, 1.0);
      Require.inClosed("maxValue", maxValue, 1.0, Double.POSITIVE_INFINITY);
    }

    @Override
    public INDArray apply(INDArray x0) {
      Require.batched("x0", x0);
      long[] shape = x0.shape();
      double[] x = x0.dup('c').data().asDouble();
      int batch = (int) shape[0];
      int n = x.length / batch;
      for (int b = 0; b < batch; b++) {
        double s = threshold(Arrays.copyOfRange(x, b * n, (b + 1) * n));
        for (int i = b * n; i < (b + 1) * n; i++) {
          x[i] = Math.min(Math.max(x[i], -s), s) / s;
        }
      }
      return Nd4j.create(x, shape, 'c');
    }

    /** s = min(max(quantile_p |x|, 1), maxValue) for one batch element's coordinates. */
    public double threshold(double[] values) {
      double[] v = new double[values.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = Math.abs(values[i]);
      }
      Arrays.sort(v);
      return Math.min(Math.max(quantile(v, p), 1.0), maxValue);
    }

    /** The type-7 quantile of ascending {@code sorted} as numpy and torch compute it. */
    static double quantile(double[] sorted, double p) {
      int last = sorted.length - 1;
      double h = last * p;
      int j = (int) Math.floor(h);
      double gamma = h - j;
      double below = sorted[j];
      double above = sorted[Math.min(j + 1, last)];
      double diff = above - below;
      return gamma < 0.5 ? below + diff * gamma : above - diff * (1.0 - gamma);
    }
  }
}
