package org.diffusiontck.reference.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A sampling loop from x at the first selected timestep to the data: DDPM or DDIM. */
public interface Sampler {
  /**
   * Runs the loop from {@code xStart}, the sample at the first selected timestep (x_T when T is
   * selected), asking {@code noise} for z on each step that adds noise.
   *
   * @param keepTrajectory whether to return x at each visited timestep (the start included)
   * @param listener called after each step with its index and the timestep it left
   */
  SamplingResult sample(
      NoisePredictor model,
      INDArray xStart,
      StepNoise noise,
      boolean keepTrajectory,
      StepListener listener);

  /** The final sample only. */
  default INDArray sample(NoisePredictor model, INDArray xStart, StepNoise noise) {
    return sample(model, xStart, noise, false, StepListener.NONE).sample();
  }
}
