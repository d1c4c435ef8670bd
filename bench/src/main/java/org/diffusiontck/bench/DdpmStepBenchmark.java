package org.diffusiontck.bench;

import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.sampling.DdpmStep;
import org.diffusiontck.reference.sampling.Timesteps;
import org.diffusiontck.reference.sampling.X0Clipping;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One DDPM step t → t − 1 over all T timesteps (Ho et al. 2020, Algorithm 2, line 4, posterior
 * form): x̂_0 = (x_t − √(1 − ᾱ_t) ε̂)/√ᾱ_t (eq. 15), optionally clipped, then x_{t−1} =
 * μ̃(x_t, x̂_0) + σ_t z with μ̃ of eq. 7 and σ_t² = β̃_t (FIXED_SMALL), by the reference {@link
 * DdpmStep#step} and by a plain loop of the same formula. The timesteps are the mixed ones of
 * {@link ReferenceVersusPlainLoop}, one per batch element.
 */
public class DdpmStepBenchmark extends StepBenchmark {
  private DdpmStep step;

  @Override
  protected void prepareStep(X0Clipping clipping) {
    step = new DdpmStep(schedule, Timesteps.all(schedule.T()), VarianceChoice.FIXED_SMALL,
        T1LogVariance.CLIP_TO_BETA_TILDE_2, clipping);
  }

  @Override
  protected INDArray byReference() {
    return step.step(Prediction.EPSILON, xt, t, modelOutput, null, noise);
  }

  /**
   * μ̃'s coefficients √ᾱ_{t−1} β_t/(1 − ᾱ_t) of x̂_0 and √α_t (1 − ᾱ_{t−1})/(1 − ᾱ_t) of x_t
   * (eq. 7), and σ_t = √β̃_t = √((1 − ᾱ_{t−1})/(1 − ᾱ_t) β_t).
   */
  @Override
  protected void stepCoefficients(int b, double[] a, double[] c, double[] d) {
    double oneMinusAlphaBarT = schedule.oneMinusAlphaBar(t[b]);
    double oneMinusAlphaBarS = schedule.oneMinusAlphaBar(t[b] - 1);
    a[b] = Math.sqrt(schedule.alphaBar(t[b] - 1)) * schedule.beta(t[b]) / oneMinusAlphaBarT;
    c[b] = Math.sqrt(schedule.alpha(t[b])) * oneMinusAlphaBarS / oneMinusAlphaBarT;
    d[b] = Math.sqrt(oneMinusAlphaBarS / oneMinusAlphaBarT * schedule.beta(t[b]));
  }

  @Override
  protected double[] plainY() {
    return xtPlain;
  }
}
