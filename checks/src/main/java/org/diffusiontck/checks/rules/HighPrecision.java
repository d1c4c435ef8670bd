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

  private final BigDecimal[] alphaBar;

  /** From β_t for t = 0..T (β_0 is ignored). */
  public HighPrecision(double[] beta) {
    alphaBar = new BigDecimal[beta.length];
    alphaBar[0] = BigDecimal.ONE;
    for (int t = 1; t < beta.length; t++) {
      alphaBar[t] = alphaBar[t - 1].multiply(BigDecimal.ONE.subtract(new BigDecimal(beta[t])), MC);
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

  /** ᾱ_t / ᾱ_s. */
  public double alphaBarRatio(int t, int s) {
    return alphaBar[t].divide(alphaBar[s], MC).doubleValue();
  }

  /** β_{t|s} = 1 − ᾱ_t/ᾱ_s without cancellation. */
  public double betaBetween(int t, int s) {
    return BigDecimal.ONE.subtract(alphaBar[t].divide(alphaBar[s], MC)).doubleValue();
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
