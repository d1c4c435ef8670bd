package org.diffusiontck.checks.rules;

/**
 * The rounding allowance of one bin of the discretized decoder (Ho et al. 2020, eq. 13), argued
 * once and used by ELBO-1 on the bin's mass p = F(b) − F(a) and by the recorded vectors on its
 * −log p: an edge standardized as (edge − μ)/σ rounds by (|edge| + |μ|) u/σ, moving the CDF by at
 * most 0.4 of that, and a difference of two CDF values near 1 (the tail on the far side, as an
 * implementation writing F(b) − F(a) literally computes it) loses 2u absolute: abs · κ, κ = 1 +
 * (2 + |μ|)/σ, plus rel · p for the CDF itself.
 */
public final class DecoderBins {
  private DecoderBins() {}

  /** The mass below which an implementation may floor a bin (improved-diffusion's 1e-12). */
  public static final double FLOOR = 1e-12;

  /** ELBO-1's tolerance: abs per unit of κ, rel of the mass. */
  public static final Tolerances TOLERANCES = new Tolerances(
      new Tolerance(1e-15, 1e-13, "abs per unit of kappa = 1 + (2 + |mu|)/sigma: an edge "
          + "standardized as (edge - mu)/sigma rounds by (|edge| + |mu|) eps / sigma, moving the "
          + "CDF by 0.4 of that, and a difference of two CDF values near 1 loses 2 eps; rel: erfc "
          + "and the quadrature within ~1e-14, rounding of z adds z^2 eps <= 5e-15 for bins above "
          + "the floor (z <= 7); the recorded vectors allow the same on -log p"),
      new Tolerance(5e-7, 1e-5, "float32: the same argument with 6e-8 per rounding; "
          + "exp(-NLL) of a float32 NLL <= 28: 1.7e-6 relative"));

  /** κ = 1 + (2 + |μ|)/σ. */
  public static double kappa(double mean, double sigma) {
    return 1 + (2 + Math.abs(mean)) / sigma;
  }

  /** The allowed error of a bin's mass p under {@code unit} (abs · κ + rel · p). */
  public static double onMass(Tolerance unit, double mean, double sigma, double p) {
    return unit.abs() * kappa(mean, sigma) + unit.rel() * p;
  }

  /**
   * The same interval [p − Δ, p + Δ] of masses read on −log p, p = e^{−nll}: the larger of
   * log((p + Δ)/p) and log(p / max(p − Δ, {@link #FLOOR})), since a floored −log p never exceeds
   * −log 1e-12.
   */
  public static double onNll(Tolerance unit, double mean, double logVariance, double nll) {
    double p = Math.exp(-nll);
    double delta = onMass(unit, mean, Math.exp(0.5 * logVariance), p);
    return Math.max(Math.log1p(delta / p), Math.log(p / Math.max(p - delta, FLOOR)));
  }
}
