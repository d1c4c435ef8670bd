package org.diffusiontck.reference.elbo;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The variance output of a model with learned reverse variance (Nichol &amp; Dhariwal 2021, §3.1):
 * given x_t [B, …] and one paper timestep t ∈ 1..T per batch element, a tensor of x_t's shape read
 * as its {@link org.diffusiontck.reference.reverse.VarianceChoice} says — log σ_t² ({@code
 * LEARNED_LOG_VARIANCE}), σ_t² ({@code LEARNED_VARIANCE}) or u ∈ [−1, 1] ({@code LEARNED_RANGE}).
 *
 * <p>It is the second half of the model: the first, the ε, x_0 or v output, is a {@link
 * org.diffusiontck.reference.sampling.NoisePredictor} called at the same (x_t, t). A network that
 * emits both in one pass (improved-diffusion's 2C output channels) implements both interfaces on
 * one object and splits its output.
 */
@FunctionalInterface
public interface VariancePredictor {
  /** The variance output at (x_t, t); must not modify {@code xt}. */
  INDArray predictVariance(INDArray xt, int[] t);
}
