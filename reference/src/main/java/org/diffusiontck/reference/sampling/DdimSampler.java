package org.diffusiontck.reference.sampling;

import org.diffusiontck.reference.param.Prediction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DDIM sampling (Song et al. 2021, §4.2, the sub-sequence τ being the timestep list) and DDIM
 * inversion, one {@link DdimStep} per selected timestep. From the k-th selected timestep t the
 * sampler steps to s given by {@link PreviousTimestep}; the next step starts from the next selected
 * timestep whatever s was (as diffusers does under {@link PreviousTimestep#FIXED_STRIDE}). Noise is
 * requested on each step with σ_t &gt; 0 ({@link StepNoise}).
 *
 * <p>Derivation: {@code spec/derivations/ddim.md} §9; {@code spec/derivations/loops.md}.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class DdimSampler implements Sampler {
  private final DdimStep step;
  private final Timesteps timesteps;
  private final PreviousTimestep previous;

  public DdimSampler(DdimStep step, Timesteps timesteps, PreviousTimestep previous) {
    if (step == null || timesteps == null || previous == null) {
      throw new IllegalArgumentException(
          "step, timesteps and previous must not be null, got " + step + ", " + timesteps
              + " and " + previous);
    }
    if (timesteps.T() != step.schedule().T()) {
      throw new IllegalArgumentException(
          "timesteps must be drawn from the schedule's T = " + step.schedule().T() + ", got T = "
              + timesteps.T());
    }
    this.step = step;
    this.timesteps = timesteps;
    this.previous = previous;
  }

  /** {@inheritDoc} The last step lands on ᾱ_1 under {@link FinalAlphaBar#FIRST_SELECTED}. */
  @Override
  public SamplingResult sample(
      NoisePredictor model,
      INDArray xStart,
      StepNoise noise,
      boolean keepTrajectory,
      StepListener listener) {
    Loop loop = Loop.sampling(model, xStart, timesteps.get(0), noise, keepTrajectory, listener);
    Prediction prediction = model.prediction();
    INDArray x = xStart;
    for (int k = 0; k < timesteps.size(); k++) {
      int t = timesteps.get(k);
      int s = timesteps.previous(k, previous);
      INDArray out = Loop.predict(model, x, t);
      INDArray z = Loop.noise(noise, step.sigma(t, s) > 0, k, t, x);
      x = step.step(prediction, x, Loop.at(x, t), Loop.at(x, s), out, z);
      loop.done(k, t, s, x);
    }
    return loop.finish(x);
  }

  /**
   * DDIM inversion from the data x_0 along the reversed list: step j goes from s = the k-th
   * selected timestep's previous one to t_k, for k = N − 1, …, 0 (the steps of {@link #sample}
   * reversed), the model being evaluated on the current x at {@code modelTime}.
   *
   * @param listener called after each step with its index and the timestep it reached
   */
  public SamplingResult invert(
      NoisePredictor model,
      INDArray x0,
      InversionModelTime modelTime,
      boolean keepTrajectory,
      StepListener listener) {
    int n = timesteps.size();
    Loop loop = new Loop(model, x0, timesteps.previous(n - 1, previous), keepTrajectory, listener);
    Prediction prediction = model.prediction();
    INDArray x = x0;
    for (int j = 0; j < n; j++) {
      int t = timesteps.get(n - 1 - j);
      int s = timesteps.previous(n - 1 - j, previous);
      INDArray out = Loop.predict(model, x, step.inversionModelTime(s, t, modelTime));
      x = step.invert(prediction, x, Loop.at(x, s), Loop.at(x, t), out);
      loop.done(j, t, t, x);
    }
    return loop.finish(x);
  }
}
