package org.diffusiontck.reference.schedule;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import org.apache.commons.math3.dfp.Dfp;
import org.apache.commons.math3.dfp.DfpField;

/**
 * The independent high-precision route of the tests: 50 significant digits (Commons Math {@link
 * Dfp}), in which the rounding of every double operation the reference makes is negligible. A
 * double is converted exactly, so "exact" means the exact math for the given double inputs.
 */
public final class HighPrecision {
  /** 50 significant digits: rounding errors of about 1e-50, far below a double's 1.1e-16. */
  public static final DfpField FIELD = new DfpField(50);

  /** u = 2^−53, the unit roundoff of a double: every correctly rounded operation errs by ≤ u. */
  public static final double U = 0x1.0p-53;

  private HighPrecision() {}

  /** The double x, exactly (through its exact decimal expansion: Dfp's own is slower). */
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
    return new BigDecimal(x.toString());
  }

  /**
   * ᾱ_t = ∏_{s=1}^{t} (1 − β_s) for t = 0..T from β_1..β_T (Ho et al. 2020, §2), in high
   * precision.
   */
  public static Dfp[] alphaBars(double[] betas) {
    Dfp[] alphaBar = new Dfp[betas.length + 1];
    alphaBar[0] = FIELD.getOne();
    for (int t = 1; t <= betas.length; t++) {
      alphaBar[t] = alphaBar[t - 1].multiply(FIELD.getOne().subtract(of(betas[t - 1])));
    }
    return alphaBar;
  }

  /** {@link #alphaBars(double[])} of a schedule's own β_1..β_T, its inputs. */
  public static Dfp[] alphaBars(NoiseSchedule schedule) {
    return alphaBars(Arrays.copyOfRange(schedule.betas(), 1, schedule.T() + 1));
  }
}
