package org.diffusiontck.checks.rules;

import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.commons.math3.dfp.Dfp;
import org.apache.commons.math3.dfp.DfpField;

/**
 * The high-precision route, the one home of it for the rules and for the reference's tests: 50
 * significant digits (Commons Math {@link Dfp}), in which the rounding of every double operation
 * an implementation makes is negligible. A double is converted exactly (to 50 digits), so "exact"
 * means the exact math for the given double inputs.
 *
 * <p>An instance holds a schedule recomputed from an implementation's own β's (taken as exact:
 * they are what the implementation uses) and rounds each quantity once to double: the independent
 * route of the schedule, forward, posterior, DDPM, DDIM and ELBO rules.
 */
public final class HighPrecision {
  /** 50 significant digits: rounding errors of about 1e-50, far below a double's 1.1e-16. */
  public static final DfpField FIELD = new DfpField(50);

  /** u = 2^−53, the unit roundoff of a double: every correctly rounded operation errs by ≤ u. */
  public static final double U = 0x1.0p-53;

  private final Dfp[] alpha;
  private final Dfp[] alphaBar;

  /** From β_t for t = 0..T (β_0 is ignored). */
  public HighPrecision(double[] beta) {
    alpha = new Dfp[beta.length];
    alphaBar = new Dfp[beta.length];
    alpha[0] = FIELD.getOne();
    alphaBar[0] = FIELD.getOne();
    for (int t = 1; t < beta.length; t++) {
      alpha[t] = FIELD.getOne().subtract(of(beta[t]));
      alphaBar[t] = alphaBar[t - 1].multiply(alpha[t]);
    }
  }

  /** The double x, exactly (to 50 digits, through its exact decimal expansion). */
  public static Dfp of(double x) {
    return FIELD.newDfp(new BigDecimal(x).toString());
  }

  /** A decimal literal such as "0.008", exactly (to 50 digits). */
  public static Dfp of(String decimal) {
    return FIELD.newDfp(decimal);
  }

  /** x rounded to the nearest double. */
  public static double toDouble(Dfp x) {
    return decimal(x).doubleValue();
  }

  /** |actual − exact| / |exact|, evaluated in high precision and only then rounded. */
  public static double relativeError(double actual, Dfp exact) {
    BigDecimal e = decimal(exact);
    return new BigDecimal(actual).subtract(e).abs()
        .divide(e.abs(), MathContext.DECIMAL64).doubleValue();
  }

  /** |actual − exact|, evaluated in high precision and only then rounded. */
  public static double absoluteError(double actual, Dfp exact) {
    return new BigDecimal(actual).subtract(decimal(exact)).abs().doubleValue();
  }

  private static BigDecimal decimal(Dfp x) {
    return x.isZero() ? BigDecimal.ZERO : new BigDecimal(x.toString());
  }

  /**
   * ᾱ_t = ∏_{s=1}^{t} (1 − β_s) for t = 0..T from β_1..β_T (Ho et al. 2020, §2), in high
   * precision.
   */
  public static Dfp[] alphaBars(double[] betas) {
    double[] beta = new double[betas.length + 1];
    System.arraycopy(betas, 0, beta, 1, betas.length);
    return new HighPrecision(beta).alphaBars();
  }

  /** ᾱ_0..ᾱ_T in high precision (a copy). */
  public Dfp[] alphaBars() {
    return alphaBar.clone();
  }

  /** ᾱ_t = ∏_{s ≤ t} (1 − β_s). */
  public double alphaBar(int t) {
    return toDouble(alphaBar[t]);
  }

  /** 1 − ᾱ_t without cancellation. */
  public double oneMinusAlphaBar(int t) {
    return toDouble(FIELD.getOne().subtract(alphaBar[t]));
  }

  /**
   * ᾱ_t / ᾱ_s = ∏_{s &lt; j ≤ t} α_j for s ≤ t, formed as the product (1 for s = t) so that it is
   * defined where ᾱ_t = ᾱ_s = 0.
   */
  public double alphaBarRatio(int t, int s) {
    return toDouble(ratio(t, s));
  }

  /** β_{t|s} = 1 − ᾱ_t/ᾱ_s without cancellation. */
  public double betaBetween(int t, int s) {
    return toDouble(FIELD.getOne().subtract(ratio(t, s)));
  }

  private Dfp ratio(int t, int s) {
    Dfp r = FIELD.getOne();
    for (int j = s + 1; j <= t; j++) {
      r = r.multiply(alpha[j]);
    }
    return r;
  }

  /** SNR(t) = ᾱ_t / (1 − ᾱ_t); +∞ at t = 0. */
  public double snr(int t) {
    Dfp den = FIELD.getOne().subtract(alphaBar[t]);
    return den.isZero() ? Double.POSITIVE_INFINITY : toDouble(alphaBar[t].divide(den));
  }

  public int T() {
    return alphaBar.length - 1;
  }
}
