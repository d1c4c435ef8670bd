package org.diffusiontck.reference.elbo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.diffusiontck.reference.elbo.Fixtures.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.diffusiontck.reference.Tensors;

class GaussianKlProperties {
  @BeforeContainer
  static void doubles() {
    Tensors.useDoubles();
  }

  /**
   * KL ≥ 0 (Gibbs' inequality). The closed form sums terms of size up to M = 1 + |Δ log σ²| + e^{log
   * σ₁² − log σ₂²} + (Δμ)² e^{−log σ₂²}, each with a relative rounding of a few ulps, so a true 0
   * may come out as −4·2^−53·M at worst. The KL depends on the means only through μ₁ − μ₂, drawn
   * here, with μ₂ = 0.5.
   */
  @Property(seed = "5120", tries = 400)
  void isNonNegative(
      @ForAll @DoubleRange(min = -6, max = 6) double meanDifference,
      @ForAll @DoubleRange(min = -5, max = 5) double lv1,
      @ForAll @DoubleRange(min = -5, max = 5) double lv2) {
    double m1 = 0.5 + meanDifference;
    double m2 = 0.5;
    double kl = GaussianKl.elementwise(tensor(new double[] {m1}, 1), tensor(new double[] {lv1}, 1),
        tensor(new double[] {m2}, 1), tensor(new double[] {lv2}, 1)).getDouble(0);
    double magnitude = 1 + Math.abs(lv2 - lv1) + Math.exp(lv1 - lv2)
        + (m1 - m2) * (m1 - m2) * Math.exp(-lv2);
    assertThat(kl).isGreaterThanOrEqualTo(-4 * Math.ulp(1.0) * magnitude);
  }
}
