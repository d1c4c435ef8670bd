package org.diffusiontck.checks.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.diffusiontck.checks.impl.Clipping;
import org.junit.jupiter.api.Test;

class X0TreatmentTest {
  /**
   * Type 7 by hand: [4, 1, 3, 2] sorted [1, 2, 3, 4]; p = 0.5: h = 1.5 → 2.5; p = 0.995: h =
   * 2.985 → 3 + 0.985 = 3.985 (two roundings, of h and of the interpolation: 2 ulps of 4); the
   * ends are the extremes.
   */
  @Test
  void quantileByHand() {
    double[] v = {4, 1, 3, 2};
    assertThat(X0Treatment.quantile(v, 0.5)).isEqualTo(2.5);
    assertThat(X0Treatment.quantile(v, 0.995)).isCloseTo(3.985, within(2e-15));
    assertThat(X0Treatment.quantile(v, 0.0)).isEqualTo(1.0);
    assertThat(X0Treatment.quantile(v, 1.0)).isEqualTo(4.0);
    assertThat(v).containsExactly(4, 1, 3, 2);
  }

  /**
   * Against a second library, Commons Math's R_7 estimator (the same definition on 1-based
   * positions): each rounds h, γ and the interpolation, ≤ 3 roundings of values below 5:
   * 3 · 2.2e-16 · 5 &lt; 4e-15.
   */
  @Test
  void quantileAgreesWithCommonsMathR7() {
    SplittableRandom random = new SplittableRandom(7);
    Percentile r7 = new Percentile().withEstimationType(EstimationType.R_7);
    for (int trial = 0; trial < 200; trial++) {
      double[] v = new double[1 + random.nextInt(60)];
      for (int i = 0; i < v.length; i++) {
        v[i] = 5 * random.nextDouble();
      }
      double p = random.nextDouble();
      assertThat(X0Treatment.quantile(v, p)).as("n = %d, p = %s", v.length, p)
          .isCloseTo(r7.evaluate(v, 100 * p), within(4e-15));
    }
  }

  /**
   * Dynamic thresholding per sample, [2, 4], p = 0.75: sample 0 = [0.5, −0.2, 0.1, 0.9] has q =
   * 0.6 &lt; 1, so s = 1 and it is unchanged; sample 1 = [−4, 2, 0.5, 3]: |x| sorted [0.5, 2, 3,
   * 4], h = 2.25 → q = 3.25 = s, so clamp to ±3.25 and divide.
   */
  @Test
  void dynamicThresholdingByHand() {
    double[] x0 = {0.5, -0.2, 0.1, 0.9, -4, 2, 0.5, 3};
    double[] out = X0Treatment.apply(Clipping.dynamic(0.75, Double.POSITIVE_INFINITY), x0, 4);
    assertThat(out).containsExactly(new double[] {0.5, -0.2, 0.1, 0.9, -1, 2 / 3.25, 0.5 / 3.25,
        3 / 3.25}, within(1e-15));
    assertThat(X0Treatment.apply(null, x0, 4)).containsExactly(x0);
  }
}
