package org.diffusiontck.reference.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.diffusiontck.checks.rules.Quadrature;
import org.junit.jupiter.api.Test;

/**
 * The closed-form distances against their definitions by numerical integration: KL = ∫ p ln(p/q),
 * BC = ∫ √(p q), TV = ½ ∫ |p − q| (which must lie within the Hellinger bounds), and W2² = ∫_0^1
 * (F_p⁻¹(u) − F_q⁻¹(u))² du (the monotone coupling is optimal in one dimension), with Commons
 * Math's normal density and quantile function. Quadrature: the engine's ({@link Quadrature}),
 * 32-point Gauss–Legendre on 400 panels over ±14 standard deviations of the wider law (the tails
 * beyond hold less than 1e-40 of either mass); the integrands are smooth, so the quadrature error
 * is far below the 1e-9 asserted (the closed forms are accurate to a few ulps of O(1) terms).
 */
class LawDistanceTest {
  private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);
  /** (m, v) of p and (μ, s²) of q, from near-equal to far apart. */
  private static final double[][] PAIRS = {
    {0.0, 1.0, 0.0, 1.0},
    {0.3, 0.25, -0.2, 0.5},
    {1.0, 2.0, 0.9, 1.9},
    {-2.0, 0.01, 1.5, 3.0},
    {0.1, 0.999, 0.1, 1.0},
  };

  @Test
  void oneCoordinateMatchesTheDefinitions() {
    for (double[] c : PAIRS) {
      NormalDistribution p = new NormalDistribution(null, c[0], Math.sqrt(c[1]));
      NormalDistribution q = new NormalDistribution(null, c[2], Math.sqrt(c[3]));
      LawDistance d = LawDistance.between(law(c[0], c[1]), law(c[2], c[3]));
      double lo = Math.min(c[0], c[2]) - 14 * Math.sqrt(Math.max(c[1], c[3]));
      double hi = Math.max(c[0], c[2]) + 14 * Math.sqrt(Math.max(c[1], c[3]));
      double klPQ = integrate(x -> p.density(x) == 0 ? 0
          : p.density(x) * (p.logDensity(x) - q.logDensity(x)), lo, hi);
      double klQP = integrate(x -> q.density(x) == 0 ? 0
          : q.density(x) * (q.logDensity(x) - p.logDensity(x)), lo, hi);
      double bc = integrate(x -> Math.sqrt(p.density(x) * q.density(x)), lo, hi);
      double tv = 0.5 * integrate(x -> Math.abs(p.density(x) - q.density(x)), lo, hi);
      double w2Squared = integrate(z -> {
        double u = STANDARD.cumulativeProbability(z);
        double diff = p.inverseCumulativeProbability(u) - q.inverseCumulativeProbability(u);
        return diff * diff * STANDARD.density(z);
      }, -7, 7);
      assertThat(d.klPQ()).as("KL(p||q) %s", c).isCloseTo(klPQ, within(1e-9));
      assertThat(d.klQP()).as("KL(q||p) %s", c).isCloseTo(klQP, within(1e-9));
      assertThat(d.tvLower()).as("1 - BC %s", c).isCloseTo(1 - bc, within(1e-9));
      assertThat(d.tvLower()).as("H^2 <= TV %s", c).isLessThanOrEqualTo(tv + 1e-9);
      assertThat(d.tvUpper()).as("TV <= sqrt(1 - BC^2) %s", c).isGreaterThanOrEqualTo(tv - 1e-9);
      // In u = Φ(z): W2² = ∫ (F_p⁻¹(Φ(z)) − F_q⁻¹(Φ(z)))² φ(z) dz; beyond |z| = 7 lies less than
      // 3e-10 of it for these pairs.
      assertThat(d.w2() * d.w2()).as("W2^2 %s", c).isCloseTo(w2Squared, within(1e-9));
    }
  }

  /** Over D coordinates KL and W2² average, and BC multiplies (independence). */
  @Test
  void coordinatesCombine() {
    IndependentGaussian p = new IndependentGaussian(new double[] {0.3, 1.0}, new double[] {0.25,
        2.0});
    IndependentGaussian q = new IndependentGaussian(new double[] {-0.2, 0.9}, new double[] {0.5,
        1.9});
    LawDistance a = LawDistance.between(law(0.3, 0.25), law(-0.2, 0.5));
    LawDistance b = LawDistance.between(law(1.0, 2.0), law(0.9, 1.9));
    LawDistance both = LawDistance.between(p, q);
    assertThat(both.klPQ()).isCloseTo((a.klPQ() + b.klPQ()) / 2, within(1e-15));
    assertThat(both.klQP()).isCloseTo((a.klQP() + b.klQP()) / 2, within(1e-15));
    assertThat(both.w2() * both.w2())
        .isCloseTo((a.w2() * a.w2() + b.w2() * b.w2()) / 2, within(1e-15));
    assertThat(1 - both.tvLower())
        .isCloseTo((1 - a.tvLower()) * (1 - b.tvLower()), within(1e-15));
  }

  /** Equal point masses are at distance 0; a point mass against a density is singular. */
  @Test
  void pointMasses() {
    LawDistance same = LawDistance.between(law(0.5, 0.0), law(0.5, 0.0));
    assertThat(new double[] {same.klPQ(), same.klQP(), same.w2(), same.tvLower(), same.tvUpper()})
        .containsOnly(0.0);
    LawDistance spread = LawDistance.between(law(0.5, 0.04), law(0.5, 0.0));
    assertThat(spread.klPQ()).isInfinite();
    assertThat(spread.klQP()).isInfinite();
    assertThat(spread.tvLower()).isEqualTo(1.0);
    assertThat(spread.w2()).isCloseTo(0.2, within(1e-15));
    LawDistance moved = LawDistance.between(law(0.7, 0.0), law(0.5, 0.0));
    assertThat(moved.klPQ()).isInfinite();
    assertThat(moved.w2()).isCloseTo(0.2, within(1e-15));
  }

  @Test
  void dimensionsMustAgree() {
    assertThatThrownBy(() -> LawDistance.between(IndependentGaussian.standard(2),
        IndependentGaussian.standard(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same number of coordinates, got 2 and 3");
  }

  private static IndependentGaussian law(double m, double v) {
    return new IndependentGaussian(new double[] {m}, new double[] {v});
  }

  /** ∫_a^b f by the engine's composite 32-point Gauss–Legendre rule on 400 pieces. */
  private static double integrate(UnivariateFunction f, double a, double b) {
    return Quadrature.integrate(f, a, b, (b - a) / 400);
  }
}
