package org.diffusiontck.reference.sampling;

import org.diffusiontck.reference.param.Prediction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Ancestral sampling (Ho et al. 2020, Algorithm 2) over a timestep list: from x at the first
 * selected timestep (x_T when T is selected) through each selected timestep to x_0, one {@link
 * DdpmStep} each. Noise is requested on every step except the last ({@link StepNoise}).
 *
 * <p>Derivation: {@code spec/derivations/ddpm.md} §4; {@code spec/derivations/loops.md}.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class DdpmSampler implements Sampler {
  private final DdpmStep step;

  public DdpmSampler(DdpmStep step) {
    if (step == null) {
      throw new IllegalArgumentException("step must not be null");
    }
    this.step = step;
  }

  /** {@inheritDoc} The model must be a {@link VariancePredictor} for a learned variance choice. */
  @Override
  public SamplingResult sample(
      NoisePredictor model,
      INDArray xStart,
      StepNoise noise,
      boolean keepTrajectory,
      StepListener listener) {
    Timesteps timesteps = step.timesteps();
    Loop loop = Loop.sampling(model, xStart, timesteps.get(0), noise, keepTrajectory, listener);
    boolean learned = step.choice().learned();
    if (learned && !(model instanceof VariancePredictor)) {
      throw new IllegalArgumentException(
          "model must be a VariancePredictor for the learned variance choice " + step.choice());
    }
    Prediction prediction = model.prediction();
    INDArray x = xStart;
    for (int k = 0; k < timesteps.size(); k++) {
      int t = timesteps.get(k);
      int s = step.previous(t);
      INDArray out = Loop.predict(model, x, t);
      INDArray variance = learned ? Loop.predictVariance(model, x, t) : null;
      INDArray z = Loop.noise(noise, s > 0, k, t, x);
      x = step.step(prediction, x, Loop.at(x, t), out, variance, z);
      loop.done(k, t, s, x);
    }
    return loop.finish(x);
  }
}
