package org.diffusiontck.reference.elbo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.reference.elbo.Fixtures.tensor;

import java.util.Random;
import org.diffusiontck.checks.rules.Quadrature;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class GaussianKlTest {
  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /**
   * The textbook form KL = log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½, a different arrangement of
   * the same closed form, evaluated by hand for five pairs (μ₁, σ₁², μ₂, σ₂²).
   */
  private static final double[][] CASES = {
    {0.0, 1.0, 0.0, 1.0}, {1.0, 1.0, 0.0, 1.0}, {0.0, 1.0, 0.0, 4.0}, {0.0, 4.0, 0.0, 1.0},
    {1.0, 4.0, -1.0, 9.0}, {0.3, 0.25, 0.3, 0.25}
  };
  private static final double[] HAND = {
    0.0, 0.5, Math.log(2.0) + 1.0 / 8.0 - 0.5, -Math.log(2.0) + 4.0 / 2.0 - 0.5,
    Math.log(1.5) + (4.0 + 4.0) / 18.0 - 0.5, 0.0
  };

  /** Each coordinate equals the hand value; O(1) values from six operations: 1e-15. */
  @Test
  void elementwiseMatchesHandComputedCases() {
    INDArray kl = GaussianKl.elementwise(column(0), logColumn(1), column(2), logColumn(3));
    for (int i = 0; i < CASES.length; i++) {
      assertThat(kl.getDouble(i)).as("case %d", i).isCloseTo(HAND[i], within(1e-15));
    }
  }

  /** Equal Gaussians give exactly 0: ½(−1 + 0 + e^0 + 0) has no rounding. */
  @Test
  void equalGaussiansGiveExactlyZero() {
    INDArray kl = GaussianKl.elementwise(column(0), logColumn(1), column(0), logColumn(1));
    for (int i = 0; i < CASES.length; i++) {
      assertThat(kl.getDouble(i)).isEqualTo(0.0);
    }
  }

  /** Per sample: batch element 0 holds cases 0–2 and element 1 cases 3–5 ([2, 3]). */
  @Test
  void perSampleSumsTheNonBatchCoordinates() {
    double[] kl = GaussianKl.perSample(
        column(0).reshape(2, 3), logColumn(1).reshape(2, 3),
        column(2).reshape(2, 3), logColumn(3).reshape(2, 3));
    assertThat(kl).hasSize(2);
    assertThat(kl[0]).isCloseTo(HAND[0] + HAND[1] + HAND[2], within(3e-15));
    assertThat(kl[1]).isCloseTo(HAND[3] + HAND[4] + HAND[5], within(3e-15));
  }

  /**
   * Against ∫ p log(p/q) by Gauss–Legendre quadrature over μ₁ ± 12σ₁ (the mass outside, 4e-33,
   * times a log-ratio below 1e4, is negligible), for 40 seeded random pairs with |μ| ≤ 2 and |log
   * σ²| ≤ 3. The integrand is below 1e3, so the quadrature's 1e-14 relative error and rounding stay
   * under 1e-11 absolute.
   */
  @Test
  void matchesNumericalIntegration() {
    Random random = new Random(20200619L);
    for (int i = 0; i < 40; i++) {
      double m1 = 4 * random.nextDouble() - 2;
      double m2 = 4 * random.nextDouble() - 2;
      double lv1 = 6 * random.nextDouble() - 3;
      double lv2 = 6 * random.nextDouble() - 3;
      double s1 = Math.exp(0.5 * lv1);
      double v2 = Math.exp(lv2);
      double integral = Quadrature.integrate(z -> {
        double x = m1 + s1 * z;
        double logRatio = -0.5 * lv1 - 0.5 * z * z + 0.5 * lv2 + (x - m2) * (x - m2) / (2 * v2);
        return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) * logRatio;
      }, -12.0, 12.0);
      double kl = GaussianKl.elementwise(
          tensor(new double[] {m1}, 1), tensor(new double[] {lv1}, 1),
          tensor(new double[] {m2}, 1), tensor(new double[] {lv2}, 1)).getDouble(0);
      assertThat(kl).as("pair %d", i).isCloseTo(integral, within(1e-11));
    }
  }

  @Test
  void rejectsMismatchedShapes() {
    assertThatThrownBy(() -> GaussianKl.elementwise(
            column(0), logColumn(1), column(2).reshape(2, 3), logColumn(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mean2");
  }

  private static INDArray column(int j) {
    double[] out = new double[CASES.length];
    for (int i = 0; i < CASES.length; i++) {
      out[i] = CASES[i][j];
    }
    return tensor(out, CASES.length);
  }

  private static INDArray logColumn(int j) {
    double[] out = column(j).toDoubleVector();
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.log(out[i]);
    }
    return tensor(out, out.length);
  }
}
