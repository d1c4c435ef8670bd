package org.diffusiontck.checks.rules;

import org.diffusiontck.checks.impl.Prediction;

/**
 * Data x_0 ~ N(μ, diag(s²)) diffused by q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I): an exact model and
 * an exact answer in closed form (spec/derivations/gaussian-oracle.md). Per coordinate, with V_t =
 * ᾱ_t s² + 1 − ᾱ_t, the triple (ε, x_0, x_t) is jointly Gaussian, so
 *
 * <pre>
 *   ε*(x_t)      = E[ε | x_t]   = √(1 − ᾱ_t) (x_t − √ᾱ_t μ) / V_t
 *   x_0*(x_t)    = E[x_0 | x_t] = μ + √ᾱ_t s² (x_t − √ᾱ_t μ) / V_t
 *   Var[x_0 | x_t] = s² (1 − ᾱ_t) / V_t
 *   flow t → s:  x_s = √ᾱ_s μ + √V_s (x_t − √ᾱ_t μ) / √V_t
 * </pre>
 *
 * The flow is the solution of the probability-flow ODE (Song et al. 2021, eq. 14): in x̄ = x/√ᾱ
 * and σ̄ = √((1 − ᾱ)/ᾱ) it reads dx̄/dσ̄ = ε* = σ̄ (x̄ − μ)/(s² + σ̄²), whose solution keeps (x̄ −
 * μ)/√(s² + σ̄²) constant: the standardized value (x_t − √ᾱ_t μ)/√V_t is invariant.
 *
 * <p>A marked second copy: the reference's exact model {@code oracle.GaussianData} is the same
 * closed form on ND4J; the engine may not use the reference, and the reference's
 * {@code GaussianDataTest} holds the two to agree.
 *
 * @param mu μ per coordinate of one sample
 * @param sd s per coordinate of one sample (positive)
 */
public record GaussianOracle(double[] mu, double[] sd) {

  /** V_t = ᾱ_t s² + (1 − ᾱ_t) at coordinate i. */
  private double variance(int i, double alphaBar, double oneMinusAlphaBar) {
    return alphaBar * sd[i] * sd[i] + oneMinusAlphaBar;
  }

  /** A draw of q(x_t) at coordinate i from a standard normal z: √ᾱ_t μ + √V_t z. */
  public double sample(int i, double z, double alphaBar, double oneMinusAlphaBar) {
    return Math.sqrt(alphaBar) * mu[i] + Math.sqrt(variance(i, alphaBar, oneMinusAlphaBar)) * z;
  }

  /** The optimal model's output for prediction {@code p} at x_t (coordinate i), t ≥ 1. */
  public double output(Prediction p, int i, double xt, double alphaBar, double oneMinusAlphaBar) {
    return ModelReading.output(p, Math.sqrt(alphaBar), Math.sqrt(oneMinusAlphaBar),
        x0(i, xt, alphaBar, oneMinusAlphaBar), epsilon(i, xt, alphaBar, oneMinusAlphaBar));
  }

  /** ε*(x_t) = E[ε | x_t] = √(1 − ᾱ_t) (x_t − √ᾱ_t μ) / V_t at coordinate i, t ≥ 1. */
  public double epsilon(int i, double xt, double alphaBar, double oneMinusAlphaBar) {
    double centred = xt - Math.sqrt(alphaBar) * mu[i];
    return Math.sqrt(oneMinusAlphaBar) * centred / variance(i, alphaBar, oneMinusAlphaBar);
  }

  /** x_0*(x_t) = E[x_0 | x_t] = μ + √ᾱ_t s² (x_t − √ᾱ_t μ) / V_t at coordinate i, t ≥ 1. */
  public double x0(int i, double xt, double alphaBar, double oneMinusAlphaBar) {
    double a = Math.sqrt(alphaBar);
    double centred = xt - a * mu[i];
    return mu[i] + a * sd[i] * sd[i] * centred / variance(i, alphaBar, oneMinusAlphaBar);
  }

  /** Var[x_0 | x_t] = s² (1 − ᾱ_t) / V_t at coordinate i, t ≥ 1. */
  public double x0Variance(int i, double alphaBar, double oneMinusAlphaBar) {
    return sd[i] * sd[i] * oneMinusAlphaBar / variance(i, alphaBar, oneMinusAlphaBar);
  }

  /** The exact probability-flow map of x at coordinate i from (ᾱ, 1 − ᾱ) = from to = to. */
  public double flow(int i, double x, double[] from, double[] to) {
    return Math.sqrt(to[0]) * mu[i] + Math.sqrt(variance(i, to[0], to[1]))
        * (x - Math.sqrt(from[0]) * mu[i]) / Math.sqrt(variance(i, from[0], from[1]));
  }

  public int size() {
    return mu.length;
  }
}
