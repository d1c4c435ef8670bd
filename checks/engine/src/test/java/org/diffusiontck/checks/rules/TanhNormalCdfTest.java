package org.diffusiontck.checks.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.dfp.Dfp;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class TanhNormalCdfTest {
  /**
   * Against the formula in double with the JDK's tanh (within 1 ulp of tanh, then ½(1 + ·): a few
   * ulps of 1), on |z| ≤ 3 where F ≥ 1e-3 and the double form does not cancel: 1e-15 absolute.
   */
  @Test
  void isTheFormulaOfTheOriginalCode() {
    for (int i = -300; i <= 300; i++) {
      double z = i / 100.0;
      double literal = 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
      assertThat(HighPrecision.toDouble(TanhNormalCdf.cdf(z))).as("z = %s", z)
          .isCloseTo(literal, within(1e-15));
    }
  }

  /**
   * tanh is odd, so F(z) + F(−z) = 1; in 50 digits the two evaluations round by ~1e-50 each,
   * and the saturated branch beyond |u| = 200 keeps the identity exactly.
   */
  @Test
  void isOddSymmetric() {
    Dfp one = HighPrecision.FIELD.getOne();
    for (double z = -60; z <= 60; z += 0.37) {
      Dfp sum = TanhNormalCdf.cdf(z).add(TanhNormalCdf.cdf(-z));
      assertThat(HighPrecision.absoluteError(1.0, sum)).as("z = %s", z).isLessThan(1e-45);
    }
    assertThat(one.equals(TanhNormalCdf.cdf(Double.POSITIVE_INFINITY))).isTrue();
    assertThat(TanhNormalCdf.cdf(Double.NEGATIVE_INFINITY).isZero()).isTrue();
  }

  /**
   * The approximation's largest absolute error is 1.789e-4, at |z| ≈ 2.59 (a 30-digit evaluation
   * on a 0.001 grid over [−8, 8]). Against Commons Statistics' Φ (error ~1e-16) on the 0.001 grid
   * over [−4, 4], which holds both extremes, the largest difference lies in [1.78e-4, 1.80e-4]:
   * the route is the approximation, not Φ.
   */
  @Test
  void isWithinItsKnownErrorOfPhi() {
    NormalDistribution phi = NormalDistribution.of(0, 1);
    double largest = 0;
    for (int i = -4_000; i <= 4_000; i++) {
      double z = i / 1000.0;
      largest = Math.max(largest,
          Math.abs(HighPrecision.toDouble(TanhNormalCdf.cdf(z)) - phi.cumulativeProbability(z)));
    }
    assertThat(largest).isBetween(1.78e-4, 1.80e-4);
  }

  /**
   * Masses are 50-digit differences: a bin 10..20 deviations above the mean keeps its value
   * F(−10) − F(−20) (the double difference F(20) − F(10) would be 0), and the masses of a
   * partition of the line sum to 1.
   */
  @Test
  void massesKeepTheTails() {
    double upper = TanhNormalCdf.mass(10, 20);
    double lower = TanhNormalCdf.mass(-20, -10);
    assertThat(upper).isPositive().isEqualTo(lower);
    assertThat(upper).isCloseTo(HighPrecision.toDouble(TanhNormalCdf.cdf(-10)),
        within(1e-12 * upper));
    double sum = 0;
    double[] edges = {Double.NEGATIVE_INFINITY, -3, -0.5, 0.25, 4, Double.POSITIVE_INFINITY};
    for (int k = 0; k + 1 < edges.length; k++) {
      sum += TanhNormalCdf.mass(edges[k], edges[k + 1]);
    }
    assertThat(sum).isCloseTo(1.0, within(4e-16));
    assertThat(TanhNormalCdf.mass(1e4, Double.POSITIVE_INFINITY)).isZero();
    assertThatThrownBy(() -> TanhNormalCdf.mass(1, 0.5)).hasMessageContaining("a = 1.0");
    assertThatThrownBy(() -> TanhNormalCdf.cdf(Double.NaN)).hasMessageContaining("NaN");
  }
}
