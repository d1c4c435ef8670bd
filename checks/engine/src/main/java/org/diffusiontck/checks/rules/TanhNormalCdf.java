package org.diffusiontck.checks.rules;

import org.apache.commons.math3.dfp.Dfp;
import org.apache.commons.math3.dfp.DfpMath;

/**
 * The tanh approximation of the standard normal CDF in Ho et al. 2020's code and improved-diffusion
 * ({@code approx_standard_normal_cdf}), the {@code TANH_APPROXIMATION} option of the decoder term
 * L_0 ({@code spec/CONVENTIONS.md}, "The decoder's normal CDF"; {@code spec/derivations/elbo.md}):
 *
 * <pre>
 *   F(z) = ½ (1 + tanh(u)),   u = √(2/π) (z + 0.044715 z³),   tanh(u) = (e^{2u} − 1)/(e^{2u} + 1)
 * </pre>
 *
 * written literally and evaluated in 50 digits ({@link HighPrecision}), so it shares no algebra
 * with an implementation's double evaluation (the reference's is 1/(1 + e^{−2u}), which avoids the
 * cancellation of 1 + tanh(u) in double). F(z) itself has an absolute error of about 1e-50, so it
 * keeps 15 digits down to 1e-35; a mass F(b) − F(a) is taken on the side of 0 where it is a
 * difference of such values, by F's odd symmetry F(−z) = 1 − F(z) (for a &gt; 0, F(−a) − F(−b)),
 * so that a bin far in either tail keeps its digits as well. Beyond |u| = 200,
 * tanh(u) = ±1 to within 2e^{−400} (below 50 digits) and is taken as ±1 (this also keeps e^{2u}
 * inside Dfp's range for the |z| of 10⁴ a tiny σ produces).
 */
public final class TanhNormalCdf {
  private static final Dfp ONE = HighPrecision.FIELD.getOne();
  private static final Dfp HALF = HighPrecision.of("0.5");
  private static final Dfp SQRT_2_OVER_PI = ONE.multiply(2).divide(HighPrecision.FIELD.getPi())
      .sqrt();
  private static final Dfp CUBIC = HighPrecision.of("0.044715");
  private static final double SATURATED = 200;

  private TanhNormalCdf() {}

  /** F(z) in 50 digits; F(−∞) = 0 and F(+∞) = 1. */
  public static Dfp cdf(double z) {
    if (Double.isNaN(z)) {
      throw new IllegalArgumentException("z must not be NaN");
    }
    if (Double.isInfinite(z)) {
      return z > 0 ? ONE : HighPrecision.FIELD.getZero();
    }
    Dfp x = HighPrecision.of(z);
    Dfp u = SQRT_2_OVER_PI.multiply(x.add(CUBIC.multiply(x).multiply(x).multiply(x)));
    Dfp tanh;
    if (u.abs().greaterThan(HighPrecision.of(SATURATED))) {
      tanh = u.negativeOrNull() ? ONE.negate() : ONE;
    } else {
      Dfp e2u = DfpMath.exp(u.multiply(2));
      tanh = e2u.subtract(ONE).divide(e2u.add(ONE));
    }
    return HALF.multiply(ONE.add(tanh));
  }

  /** F(b) − F(a) for a ≤ b (either may be infinite), rounded once to double. */
  public static double mass(double a, double b) {
    if (!(a <= b)) {
      throw new IllegalArgumentException("a must not exceed b, got a = " + a + ", b = " + b);
    }
    Dfp mass = a > 0 ? cdf(-a).subtract(cdf(-b)) : cdf(b).subtract(cdf(a));
    return HighPrecision.toDouble(mass);
  }
}
