package org.diffusiontck.reference.schedule;

import org.diffusiontck.reference.Require;

/**
 * A variance schedule β_1..β_T and the tables derived from it, for t = 0..T in the papers'
 * convention: x_0 is data, β_0 := 0 so that α_0 = ᾱ_0 = 1, and the first noising step is t = 1.
 *
 * <p>Ho et al. 2020, §2: α_t = 1 − β_t and ᾱ_t = ∏_{s=1}^{t} α_s. Kingma et al. 2021, eq. 2:
 * SNR(t) = ᾱ_t / (1 − ᾱ_t).
 *
 * <p>Precision: 1 − ᾱ_t is not computed as one minus the product (which loses about four of the
 * sixteen significant digits at t = 1, where ᾱ_1 = 1 − β_1 with β_1 ≈ 1e-4) but as
 * −expm1(Σ_{s≤t} log1p(−β_s)), which keeps full relative precision. β_t = 1 (zero terminal SNR)
 * gives ᾱ_t = 0 and 1 − ᾱ_t = 1 exactly.
 *
 * <p>Derivation: {@code spec/derivations/forward.md} §1.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class NoiseSchedule {
  private final double[] beta;
  private final double[] alphaBar;
  private final double[] oneMinusAlphaBar;
  private final double[] logAlphaBar;

  /**
   * A schedule from its β_1..β_T.
   *
   * @param betas β_t for t = 1..T (index 0 of the array is β_1); each in (0, 1]
   * @throws IllegalArgumentException if {@code betas} is empty or any β_t is outside (0, 1]
   */
  public NoiseSchedule(double[] betas) {
    if (betas == null || betas.length == 0) {
      throw new IllegalArgumentException(
          "T must be at least 1, got " + (betas == null ? "null betas" : "0 betas"));
    }
    int T = betas.length;
    beta = new double[T + 1];
    alphaBar = new double[T + 1];
    oneMinusAlphaBar = new double[T + 1];
    logAlphaBar = new double[T + 1];
    alphaBar[0] = 1.0;
    double sumLog1mBeta = 0.0;
    for (int t = 1; t <= T; t++) {
      beta[t] = Require.inHalfOpen("beta_" + t, betas[t - 1], 0.0, 1.0);
      alphaBar[t] = alphaBar[t - 1] * (1.0 - beta[t]);
      sumLog1mBeta += Math.log1p(-beta[t]);
      logAlphaBar[t] = sumLog1mBeta;
      oneMinusAlphaBar[t] = -Math.expm1(sumLog1mBeta);
    }
  }

  /** The number of diffusion steps T. */
  public int T() {
    return beta.length - 1;
  }

  /** β_t for t = 0..T (β_0 = 0). */
  public double beta(int t) {
    return beta[check(t)];
  }

  /** α_t = 1 − β_t (Ho et al. 2020, §2). */
  public double alpha(int t) {
    return 1.0 - beta(t);
  }

  /** ᾱ_t = ∏_{s=1}^{t} α_s, with ᾱ_0 = 1 (Ho et al. 2020, §2, above eq. 4). */
  public double alphaBar(int t) {
    return alphaBar[check(t)];
  }

  /** 1 − ᾱ_t, the variance of q(x_t | x_0), to full relative precision. */
  public double oneMinusAlphaBar(int t) {
    return oneMinusAlphaBar[check(t)];
  }

  /** log ᾱ_t = Σ_{s≤t} log1p(−β_s); −∞ where ᾱ_t = 0. */
  public double logAlphaBar(int t) {
    return logAlphaBar[check(t)];
  }

  /**
   * SNR(t) = ᾱ_t / (1 − ᾱ_t) (Kingma et al. 2021, eq. 2 with α² = ᾱ, σ² = 1 − ᾱ). SNR(0) = +∞;
   * SNR(T) = 0 under zero terminal SNR.
   */
  public double snr(int t) {
    return alphaBar(t) / oneMinusAlphaBar[t];
  }

  /**
   * log SNR(t) = log ᾱ_t − log(1 − ᾱ_t) (Kingma et al. 2021, λ = log α² − log σ²), with log ᾱ_t
   * summed as Σ log1p(−β_s). +∞ at t = 0; −∞ where ᾱ_t = 0.
   */
  public double logSnr(int t) {
    return logAlphaBar[check(t)] - Math.log(oneMinusAlphaBar[t]);
  }

  /** A copy of β_t for t = 0..T. */
  public double[] betas() {
    return beta.clone();
  }

  /** A copy of ᾱ_t for t = 0..T. */
  public double[] alphaBars() {
    return alphaBar.clone();
  }

  private int check(int t) {
    return Require.timestep("t", t, T());
  }
}
