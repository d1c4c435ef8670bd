package org.diffusiontck.reference.elbo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.reference.elbo.Fixtures.tensor;

import java.util.Random;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.forward.ForwardProcess;
import org.diffusiontck.reference.param.Parameterization;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.schedule.LinearEndpoints;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class SimpleLossTest {
  /** β = 0.1, 0.2, 0.3: ᾱ = 0.9, 0.72, 0.504 by hand. */
  private static final NoiseSchedule TINY = Schedules.fromBetas(0.1, 0.2, 0.3);

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @Test
  void lSimpleIsTheSquaredDistancePerBatchElement() {
    double[] l = SimpleLoss.lSimple(tensor(new double[] {1, 2, 3, 4}, 2, 2),
        tensor(new double[] {0, 0, 1, 1}, 2, 2));
    assertThat(l).containsExactly(1 + 4, 4 + 9);
  }

  /**
   * With σ_t² = β̃_t = (1 − ᾱ_{t−1})/(1 − ᾱ_t) β_t the weight simplifies by hand to β_t / (2 α_t (1 −
   * ᾱ_{t−1})): 0.2/(2·0.8·0.1) = 1.25 at t = 2, 0.3/(2·0.7·0.28) at t = 3; with σ_t² = β_t it is
   * β_t / (2 α_t (1 − ᾱ_t)). Few roundings of O(1) numbers: 1e-14 relative.
   */
  @Test
  void weightMatchesTheHandSimplification() {
    SimpleLoss small = new SimpleLoss(TINY, VarianceChoice.FIXED_SMALL);
    SimpleLoss large = new SimpleLoss(TINY, VarianceChoice.FIXED_LARGE);
    assertThat(small.weight(2)).isCloseTo(1.25, within(1e-14));
    assertThat(small.weight(3)).isCloseTo(0.3 / (2 * 0.7 * 0.28), within(1e-14));
    assertThat(large.weight(2)).isCloseTo(0.2 / (2 * 0.8 * 0.28), within(1e-14));
    assertThat(large.weight(3)).isCloseTo(0.3 / (2 * 0.7 * 0.496), within(1e-14));
  }

  /** C_t = 0 for σ² = β̃; for σ² = β, r = (1 − ᾱ_{t−1})/(1 − ᾱ_t) and C_t = D/2 (r − 1 − log r). */
  @Test
  void constantIsZeroForFixedSmallAndTheLogRatioFormulaForFixedLarge() {
    SimpleLoss small = new SimpleLoss(TINY, VarianceChoice.FIXED_SMALL);
    SimpleLoss large = new SimpleLoss(TINY, VarianceChoice.FIXED_LARGE);
    assertThat(small.constant(2, 12)).isCloseTo(0.0, within(1e-15));
    double r2 = 0.1 / 0.28;
    double r3 = 0.28 / 0.496;
    assertThat(large.constant(2, 12)).isCloseTo(6 * (r2 - 1 - Math.log(r2)), within(1e-14));
    assertThat(large.constant(3, 5)).isCloseTo(2.5 * (r3 - 1 - Math.log(r3)), within(1e-14));
  }

  /**
   * Ho et al. 2020, eq. 12, checked against the bound's term computed as a KL of Gaussians: for
   * random x_0, ε and a random ε_θ (x̂_0 by eq. 15), L_{t−1} = w_t ‖ε − ε_θ‖² + C_t on a linear
   * schedule with T = 50, at several t, for both fixed variances. Each coordinate's KL carries a
   * rounding of at most ~1e-14 (the mean difference, 1e-16 absolute, enters squared over σ² ≥ 1e-4
   * with a factor 2|Δμ| ≤ 1); summed over D = 24 coordinates and compared with a sum of the same
   * size: 1e-12 · (D + |L|).
   */
  @Test
  void stepTermEqualsWeightedSimpleLossPlusConstant() {
    NoiseSchedule schedule = Schedules.linear(50, 1e-4, 0.02, LinearEndpoints.SCALED_BY_1000_OVER_T);
    Random random = new Random(1412L);
    long[] shape = {2, 3, 4, 2};
    long d = 24;
    for (VarianceChoice choice : new VarianceChoice[] {
        VarianceChoice.FIXED_SMALL, VarianceChoice.FIXED_LARGE}) {
      VariationalBound bound =
          new VariationalBound(schedule, choice, T1LogVariance.CLIP_TO_BETA_TILDE_2, NormalCdf.EXACT);
      SimpleLoss simple = new SimpleLoss(schedule, choice);
      for (int step : new int[] {2, 3, 10, 25, 49, 50}) {
        int[] t = {step, step};
        INDArray x0 = Fixtures.gaussian(random, shape);
        INDArray eps = Fixtures.gaussian(random, shape);
        INDArray epsTheta = Fixtures.gaussian(random, shape);
        INDArray xt = new ForwardProcess(schedule).sample(x0, t, eps);
        INDArray x0Hat = new Parameterization(schedule).x0FromEps(xt, t, epsTheta);
        double[] term = bound.stepTerm(x0, xt, t, x0Hat, null);
        double[] l = SimpleLoss.lSimple(eps, epsTheta);
        for (int b = 0; b < 2; b++) {
          double expected = simple.weight(step) * l[b] + simple.constant(step, d);
          assertThat(term[b]).as("%s, t = %d, element %d", choice, step, b)
              .isCloseTo(expected, within(1e-12 * (d + Math.abs(expected))));
        }
      }
    }
  }

  @Test
  void rejectsLearnedChoicesAndTheDecoderStep() {
    assertThatThrownBy(() -> new SimpleLoss(TINY, VarianceChoice.LEARNED_RANGE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LEARNED_RANGE");
    SimpleLoss small = new SimpleLoss(TINY, VarianceChoice.FIXED_SMALL);
    assertThatThrownBy(() -> small.weight(1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1");
    assertThatThrownBy(() -> small.constant(2, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimensions");
  }
}
