package org.diffusiontck.reference.sampling;

import org.diffusiontck.reference.param.Prediction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A denoising model as the samplers see it: a trained network, an exact oracle, or a model behind a
 * process boundary. Given x_t [B, …] and one paper timestep t ∈ 1..T per batch element, it returns
 * a tensor of x_t's shape whose meaning is {@link #prediction()}.
 */
public interface NoisePredictor {
  /** What {@link #predict} returns: ε, x_0 or v. */
  Prediction prediction();

  /** The model output at (x_t, t); must not modify {@code xt}. */
  INDArray predict(INDArray xt, int[] t);
}
