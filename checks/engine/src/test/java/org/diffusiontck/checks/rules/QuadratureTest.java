package org.diffusiontck.checks.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class QuadratureTest {
  /**
   * Published values of Φ (to 16 digits, from 30-digit evaluations): Φ(1) − Φ(−1) = erf(1/√2) =
   * 0.6826894921370859, Φ(−1) = 0.15865525393145705, the tail Φ(−10) = 7.619853024160526e-24. The
   * quadrature errs by rounding only, a few ulps of the integral: 1e-14 relative.
   */
  @Test
  void normalMassesArePublishedValues() {
    assertThat(Quadrature.normalMass(-1, 1)).isCloseTo(0.6826894921370859, within(1e-14));
    assertThat(Quadrature.normalMass(Double.NEGATIVE_INFINITY, -1))
        .isCloseTo(0.15865525393145705, within(1e-14 * 0.16));
    assertThat(Quadrature.normalMass(10, Double.POSITIVE_INFINITY))
        .isCloseTo(7.619853024160526e-24, within(1e-14 * 7.6e-24));
    assertThat(Quadrature.normalMass(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY))
        .isCloseTo(1.0, within(1e-15));
    assertThat(Quadrature.normalMass(41, 50)).isZero();
  }

  /**
   * Moments of a narrow Gaussian (σ = 0.01) with pieces of σ/4: ∫ φ_σ = 1 and ∫ x² φ_σ = σ²;
   * the default pieces of 1/4 would leave the peak between few nodes.
   */
  @Test
  void piecesFollowTheIntegrandsScale() {
    double sigma = 0.01;
    double norm = Math.sqrt(2 * Math.PI) * sigma;
    assertThat(Quadrature.integrate(x -> Math.exp(-0.5 * x * x / (sigma * sigma)) / norm,
        -0.4, 0.4, sigma / 4)).isCloseTo(1.0, within(1e-14));
    assertThat(Quadrature.integrate(x -> x * x * Math.exp(-0.5 * x * x / (sigma * sigma)) / norm,
        -0.4, 0.4, sigma / 4)).isCloseTo(sigma * sigma, within(1e-14 * sigma * sigma));
    assertThatThrownBy(() -> Quadrature.integrate(x -> x, 1, 0))
        .hasMessageContaining("[1.0, 0.0]");
    assertThatThrownBy(() -> Quadrature.integrate(x -> x, 0, 1, 0))
        .hasMessageContaining("maxWidth");
  }
}
