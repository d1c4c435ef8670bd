package org.diffusiontck.reference.elbo;

import org.apache.commons.math3.special.Erf;

/**
 * Convention: the standard normal CDF Φ used by the decoder term L_0 ({@link DiscretizedGaussian}).
 * Both are odd-symmetric, Φ(−z) = 1 − Φ(z), which {@link #mass} uses to keep tail bins precise.
 *
 * <p>Derivation: {@code spec/derivations/elbo.md} §5.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public enum NormalCdf {
  /** Φ(z) = ½ erfc(−z/√2), exact to the accuracy of Commons Math's {@code Erf.erfc}. Default. */
  EXACT {
    @Override
    public double cdf(double z) {
      return 0.5 * Erf.erfc(-z / Math.sqrt(2.0));
    }
  },
  /**
   * Φ(z) ≈ ½(1 + tanh(u)), u = √(2/π)(z + 0.044715 z³): the approximation of Ho et al. 2020's code
   * and improved-diffusion ({@code approx_standard_normal_cdf}); its largest absolute error is
   * about 1.8e-4. Evaluated as 1/(1 + e^{−2u}), the same function without the cancellation of 1 +
   * tanh(u) in the lower tail.
   */
  TANH_APPROXIMATION {
    @Override
    public double cdf(double z) {
      double u = Math.sqrt(2.0 / Math.PI) * (z + 0.044715 * z * z * z);
      return 1.0 / (1.0 + Math.exp(-2.0 * u));
    }
  };

  /** Φ(z); Φ(−∞) = 0 and Φ(+∞) = 1. */
  public abstract double cdf(double z);

  /**
   * Φ(b) − Φ(a) for a ≤ b (either may be infinite). When a &gt; 0 it is computed as Φ(−a) −
   * Φ(−b), a difference of upper-tail probabilities, so that a bin far above the mean keeps its
   * relative precision instead of cancelling to 0 as 1 − 1 would.
   */
  public double mass(double a, double b) {
    if (!(a <= b)) {
      throw new IllegalArgumentException("a must not exceed b, got a = " + a + ", b = " + b);
    }
    return a > 0 ? cdf(-a) - cdf(-b) : cdf(b) - cdf(a);
  }
}
