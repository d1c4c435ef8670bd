package org.diffusiontck.reference.elbo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.diffusiontck.checks.rules.HighPrecision;
import org.diffusiontck.checks.rules.TanhNormalCdf;
import org.junit.jupiter.api.Test;

class NormalCdfTest {
  /**
   * Φ at published points, to 16 digits from 30-digit evaluations (mpmath {@code ncdf}): Φ(±1) as
   * in every table, and lower-tail values 1e-7 .. 1e-198 that a CDF computed as 1 − (something)
   * would lose entirely. Commons Math's erfc is accurate to about 1e-15 relative, and rounding −z/√2
   * adds a relative error of about z²·2^−53 (1e-13 at z = 30): tolerance 1e-12 relative.
   */
  @Test
  void exactMatchesPublishedValues() {
    double[][] table = {
      {1.0, 0.8413447460685429}, {-1.0, 0.15865525393145705}, {-5.0, 2.866515718791939e-7},
      {-10.0, 7.619853024160526e-24}, {-20.0, 2.753624118606234e-89},
      {-30.0, 4.906713927148187e-198}
    };
    for (double[] row : table) {
      assertThat(NormalCdf.EXACT.cdf(row[0])).as("Phi(%s)", row[0])
          .isCloseTo(row[1], within(1e-12 * row[1]));
    }
    assertThat(NormalCdf.EXACT.cdf(Double.NEGATIVE_INFINITY)).isEqualTo(0.0);
    assertThat(NormalCdf.EXACT.cdf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
  }

  /**
   * The option is the formula of Ho et al.'s code, ½(1 + tanh(u)), u = √(2/π)(z + 0.044715 z³),
   * against the engine's route, the same formula written literally in 50 digits ({@link
   * TanhNormalCdf}, the one the decoder rule uses), relative to F. u in double carries about 6
   * roundings (z³, the two products, the sum, the two constants), all of one sign, so |δu| ≤ 6u|u|;
   * F = 1/(1 + e^{−2u}) moves by at most 2|δu| relative, and e^{−2u}, 1 + ·, 1/· add 3u: at most
   * (12|u| + 3)u, here (16|u| + 8)u with a margin (2e-14 at z = ±6 where u ≈ 12).
   */
  @Test
  void tanhApproximationIsTheFormulaOfTheOriginalCode() {
    for (int i = -600; i <= 600; i++) {
      double z = i / 100.0;
      double u = Math.sqrt(2.0 / Math.PI) * (z + 0.044715 * z * z * z);
      double allowed = (16 * Math.abs(u) + 8) * HighPrecision.U;
      assertThat(HighPrecision.relativeError(NormalCdf.TANH_APPROXIMATION.cdf(z),
          TanhNormalCdf.cdf(z))).as("z = %s", z).isLessThanOrEqualTo(allowed);
    }
  }

  /**
   * The approximation's largest absolute error is 1.789e-4, at |z| ≈ 2.59 (30-digit evaluation on
   * a 0.001 grid over [−8, 8]). Against Commons Math's {@code NormalDistribution} (absolute error
   * ~1e-16) on the same grid over [−10, 10], the largest difference must lie in [1.78e-4, 1.80e-4]:
   * the option is the approximation, not Φ, and no worse than it.
   */
  @Test
  void tanhApproximationIsWithinItsKnownErrorOfPhi() {
    NormalDistribution phi = new NormalDistribution(0.0, 1.0);
    double largest = 0;
    for (int i = -10_000; i <= 10_000; i++) {
      double z = i / 1000.0;
      largest = Math.max(largest,
          Math.abs(NormalCdf.TANH_APPROXIMATION.cdf(z) - phi.cumulativeProbability(z)));
    }
    assertThat(largest).isBetween(1.78e-4, 1.80e-4);
  }

  /**
   * Φ(z) + Φ(−z) = 1, the symmetry {@link NormalCdf#mass} relies on: the two are computed
   * separately, each within about 1e-16 absolute, so 4e-16.
   */
  @Test
  void bothAreSymmetric() {
    for (NormalCdf cdf : NormalCdf.values()) {
      for (double z = -40.0; z <= 40.0; z += 0.037) {
        assertThat(cdf.cdf(z) + cdf.cdf(-z)).as("%s at %s", cdf, z).isCloseTo(1.0, within(4e-16));
      }
    }
  }

  /**
   * A bin far in the upper tail keeps its value: Φ(−a) − Φ(−b) against the published Φ(−10) −
   * Φ(−20) (the naive Φ(20) − Φ(10) is 1 − 1 = 0 in double precision); open-ended masses.
   */
  @Test
  void massIsPreciseInTheUpperTail() {
    assertThat(NormalCdf.EXACT.mass(10.0, 20.0))
        .isCloseTo(7.619853024160526e-24 - 2.753624118606234e-89, within(1e-12 * 7.6e-24));
    assertThat(NormalCdf.EXACT.mass(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY))
        .isEqualTo(1.0);
    assertThat(NormalCdf.EXACT.mass(-1.0, Double.POSITIVE_INFINITY))
        .isCloseTo(0.8413447460685429, within(1e-15));
    assertThatThrownBy(() -> NormalCdf.EXACT.mass(1.0, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a = 1.0");
  }
}
