package org.diffusiontck.reference.oracle;

import java.util.Arrays;
import org.diffusiontck.reference.posterior.Posterior;
import org.diffusiontck.reference.sampling.DdimStep;
import org.diffusiontck.reference.sampling.DdpmStep;
import org.diffusiontck.reference.sampling.PreviousTimestep;
import org.diffusiontck.reference.sampling.Timesteps;
import org.diffusiontck.reference.schedule.NoiseSchedule;

/**
 * The exact law of a sampler's output on the Gaussian oracle ({@code
 * spec/derivations/sampler-law.md}). Driven by ε*, every step of DDIM (any η, no clipping) and of
 * DDPM (a fixed variance, strided as improved-diffusion does) is, per coordinate, an affine map of
 * x_t plus independent Gaussian noise,
 *
 * <pre>
 *   x_s = c_μ μ + G (x_t − √a μ) + σ z,   z ~ N(0, 1),   a = ᾱ_t,   V = a s² + 1 − a,
 * </pre>
 *
 * since ε*(x_t) = √(1 − a)(x_t − √a μ)/V and x̂_0 = (x_t − √(1 − a) ε*)/√a = μ + √a s²/V · (x_t −
 * √a μ) (Song et al. 2021, eq. 9; {@link GaussianData}). So a Gaussian x_t ~ N(m, v) goes to
 *
 * <pre>
 *   m' = c_μ μ + G (m − √a μ),   v' = G² v + σ²,
 * </pre>
 *
 * and from x_{t_1} ~ N(0, 1) the output x_0 is N(m_0, v_0) exactly, coordinates independent.
 *
 * <ul>
 *   <li>DDIM (Song et al. 2021, eq. 12), x_s = √ᾱ_e x̂_0 + d ε* + σ z with e the landing timestep,
 *       d = √(1 − ᾱ_e − σ²) and σ = σ_t(η) (eq. 16) as {@link DdimStep} computes them: c_μ = √ᾱ_e,
 *       G = (√ᾱ_e √a s² + d √(1 − a))/V.
 *   <li>DDPM (Ho et al. 2020, eq. 7 at x̂_0; Algorithm 2), x_s = c_0 x̂_0 + c_t x_t + σ z with the
 *       posterior coefficients toward s and σ² the respaced fixed variance ({@link
 *       DdpmStep#fixedVariance}), σ = 0 on the step to s = 0: c_μ = c_0 + c_t √a, G = c_0 √a
 *       s²/V + c_t.
 * </ul>
 *
 * The steps, their order and their targets are the samplers' own (the timestep list, {@link
 * PreviousTimestep}); each step starts from the next selected timestep whatever the previous one
 * landed on, as {@code DdimSampler} does.
 *
 * <p>Derivation: {@code spec/derivations/sampler-law.md} §1–§3.
 * Its "In the code" table names this class's methods.
 */
public final class SamplerLaw {
  private SamplerLaw() {}

  /** The law of {@code DdimSampler(step, timesteps, previous)}'s output with the oracle ε*. */
  public static IndependentGaussian ddim(
      GaussianData data, DdimStep step, Timesteps timesteps, PreviousTimestep previous) {
    if (step == null || previous == null) {
      throw new IllegalArgumentException("step and previous must not be null, got " + step
          + " and " + previous);
    }
    check(data, step.schedule(), timesteps);
    Walk walk = new Walk(data);
    for (int k = 0; k < timesteps.size(); k++) {
      int t = timesteps.get(k);
      int s = timesteps.previous(k, previous);
      double sqrtTarget = Math.sqrt(step.alphaBarTarget(s));
      double d = step.directionCoefficient(t, s);
      double sqrtOneMinusA = Math.sqrt(data.schedule.oneMinusAlphaBar(t));
      walk.step(t, sqrtTarget, (sqrtA, sSquared, V) -> (sqrtTarget * sqrtA * sSquared
          + d * sqrtOneMinusA) / V, step.sigmaSquared(t, s));
    }
    return walk.law();
  }

  /** The law of {@code DdpmSampler(step)}'s output with the oracle ε* (a fixed variance). */
  public static IndependentGaussian ddpm(GaussianData data, DdpmStep step) {
    if (step == null) {
      throw new IllegalArgumentException("step must not be null");
    }
    Timesteps timesteps = step.timesteps();
    NoiseSchedule schedule = data.schedule;
    check(data, schedule, timesteps);
    Posterior posterior = new Posterior(schedule);
    Walk walk = new Walk(data);
    for (int k = 0; k < timesteps.size(); k++) {
      int t = timesteps.get(k);
      int s = step.previous(t);
      double c0 = posterior.meanCoefX0(t, s);
      double ct = posterior.meanCoefXt(t, s);
      double sqrtA = Math.sqrt(schedule.alphaBar(t));
      walk.step(t, c0 + ct * sqrtA, (root, sSquared, V) -> c0 * root * sSquared / V + ct,
          s > 0 ? step.fixedVariance(t) : 0.0);
    }
    return walk.law();
  }

  private static void check(GaussianData data, NoiseSchedule schedule, Timesteps timesteps) {
    if (data == null || timesteps == null) {
      throw new IllegalArgumentException("data and timesteps must not be null, got " + data
          + " and " + timesteps);
    }
    if (schedule.T() != data.schedule.T() || timesteps.T() != schedule.T()) {
      throw new IllegalArgumentException("data, sampler and timesteps must share one schedule,"
          + " got T = " + data.schedule.T() + ", " + schedule.T() + " and " + timesteps.T());
    }
  }

  /** G as a function of √a, s² and V for one coordinate. */
  @FunctionalInterface
  private interface Gain {
    double at(double sqrtA, double sSquared, double V);
  }

  /** N(m, v) per coordinate, from N(0, 1), carried through the steps. */
  private static final class Walk {
    private final GaussianData data;
    private final double[] m;
    private final double[] v;

    Walk(GaussianData data) {
      this.data = data;
      this.m = new double[data.dimension()];
      this.v = new double[data.dimension()];
      Arrays.fill(v, 1.0);
    }

    /** m ← c_μ μ + G (m − √a μ), v ← G² v + σ², for the step leaving t. */
    void step(int t, double cMu, Gain gain, double sigmaSquared) {
      double sqrtA = Math.sqrt(data.schedule.alphaBar(t));
      for (int i = 0; i < m.length; i++) {
        double s = data.s(i);
        double G = gain.at(sqrtA, s * s, data.variance(t, i));
        m[i] = cMu * data.mu(i) + G * (m[i] - sqrtA * data.mu(i));
        v[i] = G * G * v[i] + sigmaSquared;
      }
    }

    IndependentGaussian law() {
      return new IndependentGaussian(m, v);
    }
  }
}
