package org.diffusiontck.checks.rules;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Schedule quantities recomputed in 50-digit decimal arithmetic from an implementation's own β's,
 * then rounded once to double: the independent route of the schedule, forward and posterior rules.
 * The β's themselves are taken as exact (they are what the implementation uses).
 */
public final class HighPrecision {
  private static final MathContext MC = new MathContext(50);

  private final BigDecimal[] alpha;
  private final BigDecimal[] alphaBar;

  /** From β_t for t = 0..T (β_0 is ignored). */
  public HighPrecision(double[] beta) {
    alpha = new BigDecimal[beta.length];
    alphaBar = new BigDecimal[beta.length];
    alpha[0] = BigDecimal.ONE;
    alphaBar[0] = BigDecimal.ONE;
    for (int t = 1; t < beta.length; t++) {
      alpha[t] = BigDecimal.ONE.subtract(new BigDecimal(beta[t]));
      alphaBar[t] = alphaBar[t - 1].multiply(alpha[t], MC);
    }
  }

  /** ᾱ_t = ∏_{s ≤ t} (1 − β_s). */
  public double alphaBar(int t) {
    return alphaBar[t].doubleValue();
  }

  /** 1 − ᾱ_t without cancellation. */
  public double oneMinusAlphaBar(int t) {
    return BigDecimal.ONE.subtract(alphaBar[t]).doubleValue();
  }

  /**
   * ᾱ_t / ᾱ_s = ∏_{s &lt; j ≤ t} α_j for s ≤ t, formed as the product (1 for s = t) so that it is
   * defined where ᾱ_t = ᾱ_s = 0.
   */
  public double alphaBarRatio(int t, int s) {
    return ratio(t, s).doubleValue();
  }

  /** β_{t|s} = 1 − ᾱ_t/ᾱ_s without cancellation. */
  public double betaBetween(int t, int s) {
    return BigDecimal.ONE.subtract(ratio(t, s)).doubleValue();
  }

  private BigDecimal ratio(int t, int s) {
    BigDecimal r = BigDecimal.ONE;
    for (int j = s + 1; j <= t; j++) {
      r = r.multiply(alpha[j], MC);
    }
    return r;
  }

  /** SNR(t) = ᾱ_t / (1 − ᾱ_t); +∞ at t = 0. */
  public double snr(int t) {
    BigDecimal den = BigDecimal.ONE.subtract(alphaBar[t]);
    return den.signum() == 0 ? Double.POSITIVE_INFINITY : alphaBar[t].divide(den, MC).doubleValue();
  }

  public int T() {
    return alphaBar.length - 1;
  }
}
