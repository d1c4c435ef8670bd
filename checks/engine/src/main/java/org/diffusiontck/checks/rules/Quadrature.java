package org.diffusiontck.checks.rules;

import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * Numerical integration, the independent route of the KL and decoder rules: the composite 32-point
 * Gauss–Legendre rule (Commons Math) on pieces no wider than 1/4, pieces summed with Neumaier's
 * compensation. The rule is exact for polynomials of degree 63; the integrands here are a standard
 * normal density times a polynomial of degree ≤ 2, which varies by at most e^{−10} across a piece
 * for |z| ≤ 40, so the degree-63 Taylor remainder on a piece is below 1e-25 relative: the error is
 * that of rounding, a few ulps of the integral of |f| (the 32 products of a piece are summed
 * plainly, the pieces with compensation).
 */
public final class Quadrature {
  /** Beyond |z| = 40 the standard normal density is below e^{−800}: nothing is lost there. */
  public static final double CUT = 40.0;

  private static final double PIECE = 0.25;
  private static final double[] NODES = new double[32];
  private static final double[] WEIGHTS = new double[32];

  static {
    GaussIntegrator rule = new GaussIntegratorFactory().legendre(32);
    for (int i = 0; i < 32; i++) {
      NODES[i] = rule.getPoint(i);
      WEIGHTS[i] = rule.getWeight(i);
    }
  }

  private Quadrature() {}

  /** ∫_a^b f(z) dz for finite a ≤ b, on pieces no wider than 1/4. */
  public static double integrate(UnivariateFunction f, double a, double b) {
    return integrate(f, a, b, PIECE);
  }

  /**
   * ∫_a^b f(z) dz for finite a ≤ b, on pieces no wider than {@code maxWidth}: for an integrand that
   * varies on a scale other than 1 (a density of standard deviation r wants pieces of about r/4).
   */
  public static double integrate(UnivariateFunction f, double a, double b, double maxWidth) {
    if (!(a <= b) || Double.isInfinite(a) || Double.isInfinite(b)) {
      throw new IllegalArgumentException("need finite a <= b, got [" + a + ", " + b + "]");
    }
    if (!(maxWidth > 0) || Double.isInfinite(maxWidth)) {
      throw new IllegalArgumentException("maxWidth must be positive and finite, got " + maxWidth);
    }
    int pieces = Math.max(1, (int) Math.ceil((b - a) / maxWidth));
    double width = (b - a) / pieces;
    double sum = 0;
    double compensation = 0;
    for (int p = 0; p < pieces; p++) {
      double mid = a + (p + 0.5) * width;
      double piece = 0;
      for (int i = 0; i < 32; i++) {
        piece += WEIGHTS[i] * f.value(mid + 0.5 * width * NODES[i]);
      }
      piece *= 0.5 * width;
      double next = sum + piece;
      compensation += Math.abs(sum) >= Math.abs(piece) ? (sum - next) + piece : (piece - next) + sum;
      sum = next;
    }
    return sum + compensation;
  }

  /** The standard normal density φ(z). */
  public static double density(double z) {
    return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  }

  /** P(a ≤ Z ≤ b) for a standard normal Z (a ≤ b, either may be infinite), by quadrature of φ. */
  public static double normalMass(double a, double b) {
    double lo = Math.max(a, -CUT);
    double hi = Math.min(b, CUT);
    return lo >= hi ? 0.0 : integrate(Quadrature::density, lo, hi);
  }
}
