package org.diffusiontck.reference.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.reference.sampling.Fixtures.tensor;
import static org.diffusiontck.reference.sampling.Fixtures.values;

import java.util.Random;
import org.diffusiontck.checks.rules.X0Treatment;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class X0ClippingTest {
  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @Test
  void clipClampsEachCoordinateToPlusMinusOne() {
    INDArray x0 = tensor(new long[] {1, 5}, -3.0, -1.0, 0.25, 1.0, 7.5);
    INDArray clipped = X0Clipping.CLIP.apply(x0);
    assertThat(values(clipped)).containsExactly(-1.0, -1.0, 0.25, 1.0, 1.0);
    assertThat(x0.getDouble(0)).as("input untouched").isEqualTo(-3.0);
    assertThat(values(X0Clipping.NONE.apply(x0)))
        .containsExactly(-3.0, -1.0, 0.25, 1.0, 7.5);
  }

  /**
   * In place: NONE hands back x0 itself, CLIP clamps x0's own values and hands it back; dynamic
   * thresholding, which builds its result anew, leaves x0 alone and returns what apply returns.
   */
  @Test
  void applyInPlaceWritesOverItsInputWhereItCan() {
    INDArray x0 = tensor(new long[] {1, 5}, -3.0, -1.0, 0.25, 1.0, 7.5);
    assertThat(X0Clipping.NONE.applyInPlace(x0)).isSameAs(x0);
    assertThat(values(x0)).containsExactly(-3.0, -1.0, 0.25, 1.0, 7.5);
    X0Clipping dynamic = X0Clipping.dynamicThresholding(0.9, 2.0);
    INDArray thresholded = dynamic.applyInPlace(x0);
    assertThat(thresholded).isNotSameAs(x0);
    assertThat(values(thresholded)).containsExactly(values(dynamic.apply(x0)));
    assertThat(values(x0)).containsExactly(-3.0, -1.0, 0.25, 1.0, 7.5);
    assertThat(X0Clipping.CLIP.applyInPlace(x0)).isSameAs(x0);
    assertThat(values(x0)).containsExactly(-1.0, -1.0, 0.25, 1.0, 1.0);
  }

  /**
   * Type-7 quantile by hand: sorted [1, 2, 3, 4]; p = 0.5: h = 1.5, γ = 0.5 → 3 − 0.5·1 = 2.5; p =
   * 0.995: h = 2.985 → 4 − 0.015·1 = 3.985; p = 0: 1; p = 1: 4.
   */
  @Test
  void quantileByHand() {
    double[] v = {1, 2, 3, 4};
    assertThat(X0Clipping.DynamicThresholding.quantile(v, 0.5)).isEqualTo(2.5);
    // 3.985 is not a binary fraction: the two roundings of h and of the lerp → 2 ulps of 4.
    assertThat(X0Clipping.DynamicThresholding.quantile(v, 0.995)).isCloseTo(3.985, within(2e-15));
    assertThat(X0Clipping.DynamicThresholding.quantile(v, 0.0)).isEqualTo(1.0);
    assertThat(X0Clipping.DynamicThresholding.quantile(v, 1.0)).isEqualTo(4.0);
  }

  /**
   * Against the engine's type-7 quantile, the route the sampling rules use ({@link
   * X0Treatment#quantile}: Commons Statistics' HF7 estimator, the same definition computed by a
   * library). The two each round h, γ and the lerp (≤ 3 roundings of a value below 5, |N(0, 1)|
   * draws): 3 · 2.2e-16 · 5 &lt; 4e-15.
   */
  @Test
  void quantileAgreesWithTheEngineRoute() {
    Random random = new Random(7);
    for (int trial = 0; trial < 50; trial++) {
      int n = 1 + random.nextInt(40);
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = Math.abs(random.nextGaussian());
      }
      double p = 0.001 + 0.999 * random.nextDouble();
      double expected = X0Treatment.quantile(v, p);
      java.util.Arrays.sort(v);
      assertThat(X0Clipping.DynamicThresholding.quantile(v, p))
          .as("n=%d p=%s", n, p)
          .isCloseTo(expected, within(4e-15));
    }
  }

  /**
   * Batch of 2, shape [2, 2, 4], p = 0.5. Element 0 lies in [−1, 1], so s = max(q, 1) = 1 and it
   * is unchanged. Element 1 = [−4, 2, 0.5, 3, 0, 0, 0, 0]: |x| sorted [0, 0, 0, 0, 0.5, 2, 3, 4], h
   * = 3.5 → 0 + 0.5·(0.5 − 0) = 0.25… below 1, so s = 1: plain clipping. With p = 0.9: h = 6.3 → 3
   * + 0.3·1 = 3.3 = s, so x/3.3 after clamping to [−3.3, 3.3]: [−1, 2/3.3, 0.5/3.3, 3/3.3, 0…].
   */
  @Test
  void dynamicThresholdingPerSampleOverAllNonBatchCoordinates() {
    INDArray x0 = tensor(new long[] {2, 2, 4},
        0.5, -0.25, 1.0, -1.0, 0.0, 0.75, 0.1, -0.9,
        -4.0, 2.0, 0.5, 3.0, 0.0, 0.0, 0.0, 0.0);
    double[] lowP = values(X0Clipping.dynamicThresholding(0.5, Double.POSITIVE_INFINITY)
        .apply(x0));
    assertThat(lowP).containsExactly(
        0.5, -0.25, 1.0, -1.0, 0.0, 0.75, 0.1, -0.9,
        -1.0, 1.0, 0.5, 1.0, 0.0, 0.0, 0.0, 0.0);
    double[] highP = values(X0Clipping.dynamicThresholding(0.9, Double.POSITIVE_INFINITY)
        .apply(x0));
    double s = 3.3;
    double[] expected = {0.5, -0.25, 1.0, -1.0, 0.0, 0.75, 0.1, -0.9,
        -1.0, 2.0 / s, 0.5 / s, 3.0 / s, 0.0, 0.0, 0.0, 0.0};
    for (int i = 0; i < expected.length; i++) {
      // s itself carries the rounding of h = 7·0.9 and of the lerp (≤ 2 ulps of 3.3); the quotient
      // adds one more: 1e-15 on values ≤ 1.
      assertThat(highP[i]).as("i=%d", i).isCloseTo(expected[i], within(1e-15));
    }
    assertThat(x0.getDouble(8)).as("input untouched").isEqualTo(-4.0);
  }

  /** maxValue caps s: with p = 0.9 and maxValue 2, element 1 is clamped to [−2, 2] and halved. */
  @Test
  void maxValueCapsTheThreshold() {
    INDArray x0 = tensor(new long[] {1, 8}, -4.0, 2.0, 0.5, 3.0, 0.0, 0.0, 0.0, 0.0);
    assertThat(values(X0Clipping.dynamicThresholding(0.9, 2.0).apply(x0)))
        .containsExactly(-1.0, 1.0, 0.25, 1.0, 0.0, 0.0, 0.0, 0.0);
  }

  @Test
  void badParametersAreErrors() {
    assertThatThrownBy(() -> X0Clipping.dynamicThresholding(1.5, 2.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("p")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> X0Clipping.dynamicThresholding(Double.NaN, 2.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> X0Clipping.dynamicThresholding(0.9, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxValue")
        .hasMessageContaining("0.5");
  }
}
