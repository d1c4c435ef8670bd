package org.diffusiontck.reference.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model that also outputs the reverse-step variance (Nichol &amp; Dhariwal 2021, §3.1), as the
 * learned {@link org.diffusiontck.reference.reverse.VarianceChoice}s need.
 */
public interface VariancePredictor extends NoisePredictor {
  /**
   * The variance output at (x_t, t), of x_t's shape, in the form the variance choice names (log σ²,
   * σ², or the interpolation value u ∈ [−1, 1]); must not modify {@code xt}.
   */
  INDArray predictVariance(INDArray xt, int[] t);
}
