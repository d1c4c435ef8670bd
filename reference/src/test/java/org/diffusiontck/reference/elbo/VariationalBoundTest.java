package org.diffusiontck.reference.elbo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.reference.elbo.Fixtures.tensor;

import org.apache.commons.math3.special.Erf;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** L_T, L_{t−1} and L_0 one at a time, against hand-computed values. */
class VariationalBoundTest {
  /** β = 0.1, 0.2, 0.3: ᾱ = 0.9, 0.72, 0.504 and 1 − ᾱ = 0.1, 0.28, 0.496 by hand. */
  private static final NoiseSchedule TINY = Schedules.fromBetas(0.1, 0.2, 0.3);

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  private static VariationalBound bound(VarianceChoice choice, T1LogVariance t1) {
    return new VariationalBound(TINY, choice, t1, NormalCdf.EXACT);
  }

  private static VariationalBound bound(VarianceChoice choice) {
    return bound(choice, T1LogVariance.CLIP_TO_BETA_TILDE_2);
  }

  /**
   * L_T = Σ ½(v + m² − 1 − log v) with m = √ᾱ_T x_0, v = 1 − ᾱ_T = 0.496 (the textbook form of
   * KL(N(m, v) ‖ N(0, 1))), per batch element of a [2, 3] tensor; O(1) terms: 1e-15 per coordinate.
   */
  @Test
  void priorTermMatchesTheHandFormula() {
    double[] x0 = {0.5, -1.0, 0.25, 1.0, 0.0, -0.75};
    double[] prior = bound(VarianceChoice.FIXED_SMALL).priorTerm(tensor(x0, 2, 3));
    for (int b = 0; b < 2; b++) {
      double expected = 0;
      for (int i = 3 * b; i < 3 * b + 3; i++) {
        expected += 0.5 * (0.496 + 0.504 * x0[i] * x0[i] - 1 - Math.log(0.496));
      }
      assertThat(prior[b]).as("element %d", b).isCloseTo(expected, within(3e-15));
    }
  }

  /**
   * L_T → 0 as ᾱ_T → 0: with one step β_1 = 1 − a, ᾱ_T = a and L_T / a = ½‖x_0‖² + D/2 · (−a −
   * log(1 − a))/a, whose second part lies in [D a/4, D a/2] for a ≤ ½ (the lower end relaxed by
   * 1%: the closed form's cancellation, ~1e-16 per coordinate, divided by a ≥ 1e-6, is at most
   * 4e-10, a thousandth of that margin). Under zero terminal SNR (ᾱ_T = 0) it is exactly 0:
   * KL(N(0, 1) ‖ N(0, 1)).
   */
  @Test
  void priorTermVanishesAsAlphaBarTGoesToZero() {
    double[] x0 = {0.5, -1.0, 0.25, 1.0};
    double halfNorm = 0.5 * (0.25 + 1.0 + 0.0625 + 1.0);
    int d = 4;
    for (double a : new double[] {1e-2, 1e-4, 1e-6}) {
      double prior = new VariationalBound(Schedules.fromBetas(1 - a), VarianceChoice.FIXED_SMALL,
          T1LogVariance.CLAMP_1E_20, NormalCdf.EXACT).priorTerm(tensor(x0, 1, 4))[0];
      assertThat(prior / a - halfNorm).as("a = %s", a).isBetween(0.99 * d * a / 4, d * a / 2.0);
    }
    NoiseSchedule zeroSnr = Schedules.zeroTerminalSnr(Schedules.linear(10));
    double[] prior = new VariationalBound(zeroSnr, VarianceChoice.FIXED_SMALL,
        T1LogVariance.CLIP_TO_BETA_TILDE_2, NormalCdf.EXACT).priorTerm(tensor(x0, 2, 2));
    assertThat(prior).containsExactly(0.0, 0.0);
  }

  /**
   * One coordinate at t = 3, x_0 = 0.5, x_t = 0.2, x̂_0 = −0.3: both means share √α_3 (1 − ᾱ_2)/(1
   * − ᾱ_3) x_t, so Δμ = √ᾱ_2 β_3/(1 − ᾱ_3) · 0.8 and q's variance is β̃_3 = 0.28·0.3/0.496. Each
   * choice's σ² by hand, and KL = ½ log(σ²/β̃) + (β̃ + Δμ²)/(2σ²) − ½. O(1) values: 1e-14.
   */
  @Test
  void stepTermMatchesHandComputedKlForEveryChoice() {
    double deltaMu = Math.sqrt(0.72) * 0.3 / 0.496 * 0.8;
    double betaTilde = 0.28 * 0.3 / 0.496;
    Object[][] cases = {
      {VarianceChoice.FIXED_SMALL, null, betaTilde},
      {VarianceChoice.FIXED_LARGE, null, 0.3},
      {VarianceChoice.LEARNED_LOG_VARIANCE, Math.log(0.05), 0.05},
      {VarianceChoice.LEARNED_VARIANCE, 0.05, 0.05},
      {VarianceChoice.LEARNED_RANGE, 0.2, Math.pow(0.3, 0.6) * Math.pow(betaTilde, 0.4)},
    };
    for (Object[] c : cases) {
      INDArray output = c[1] == null ? null : tensor(new double[] {(Double) c[1]}, 1, 1);
      double sigma2 = (Double) c[2];
      double expected = 0.5 * Math.log(sigma2 / betaTilde)
          + (betaTilde + deltaMu * deltaMu) / (2 * sigma2) - 0.5;
      double[] term = bound((VarianceChoice) c[0]).stepTerm(one(0.5), one(0.2), new int[] {3},
          one(-0.3), output);
      assertThat(term[0]).as("%s", c[0]).isCloseTo(expected, within(1e-14));
    }
  }

  /**
   * L_{t−1} = 0 exactly when x̂_0 = x_0 and σ_t² = β̃_t: both Gaussians are then computed by the
   * same expressions. Under σ_t² = β_t the constant C_t of SimpleLoss remains.
   */
  @Test
  void stepTermIsZeroForThePerfectModelWithFixedSmall() {
    INDArray x0 = tensor(new double[] {0.5, -0.25, 1.0, 0.0}, 2, 2);
    INDArray xt = tensor(new double[] {0.1, 0.7, -1.3, 2.0}, 2, 2);
    assertThat(bound(VarianceChoice.FIXED_SMALL).stepTerm(x0, xt, new int[] {2, 3}, x0, null))
        .containsExactly(0.0, 0.0);
    double r = 0.1 / 0.28;
    assertThat(bound(VarianceChoice.FIXED_LARGE).stepTerm(x0, xt, new int[] {2, 2}, x0, null)[0])
        .isCloseTo(2 * 0.5 * (r - 1 - Math.log(r)), within(1e-15));
  }

  /** Each batch element uses its own t: a batch with t = {2, 3} equals the two computed alone. */
  @Test
  void stepTermUsesEachBatchElementsTimestep() {
    VariationalBound bound = bound(VarianceChoice.FIXED_LARGE);
    double[] both = bound.stepTerm(tensor(new double[] {0.5, -0.2}, 2, 1),
        tensor(new double[] {0.2, 0.9}, 2, 1), new int[] {2, 3},
        tensor(new double[] {-0.3, 0.4}, 2, 1), null);
    assertThat(both[0]).isEqualTo(
        bound.stepTerm(one(0.5), one(0.2), new int[] {2}, one(-0.3), null)[0]);
    assertThat(both[1]).isEqualTo(
        bound.stepTerm(one(-0.2), one(0.9), new int[] {3}, one(0.4), null)[0]);
  }

  /**
   * L_0 for x_0 = (1, 130/127.5 − 1, −1) with x̂_0 = x_0 and σ_1 = √β̃_2 = √(0.1/0.28 · 0.2) under
   * the default convention (also FIXED_LARGE's, as in Ho et al.'s code), or σ_1² = β_1 = 0.1: an
   * interior bin centred on the mean has mass erf(h/(σ√2)) and an edge bin ½(1 + erf(h/(σ√2))), h
   * = 1/255. The edges' rounding moves z = h/σ by up to 8.5e-14 relative (DiscretizedGaussianTest),
   * and the interior mass, a difference of CDFs near ½, loses another 1e-14: 3e-13 per coordinate.
   */
  @Test
  void decoderTermMatchesHandComputedMasses() {
    INDArray x0 = tensor(new double[] {1.0, 130 / 127.5 - 1, -1.0}, 1, 3);
    INDArray x1 = tensor(new double[] {0.3, -0.2, 0.9}, 1, 3);
    double betaTilde2 = 0.1 / 0.28 * 0.2;
    Object[][] cases = {
      {VarianceChoice.FIXED_SMALL, T1LogVariance.CLIP_TO_BETA_TILDE_2, betaTilde2},
      {VarianceChoice.FIXED_LARGE, T1LogVariance.CLIP_TO_BETA_TILDE_2, betaTilde2},
      {VarianceChoice.FIXED_SMALL, T1LogVariance.BETA_1, 0.1},
      {VarianceChoice.FIXED_LARGE, T1LogVariance.BETA_1, 0.1},
    };
    for (Object[] c : cases) {
      double e = Erf.erf(1.0 / 255 / Math.sqrt(2 * (Double) c[2]));
      double expected = -(2 * Math.log(0.5 * (1 + e)) + Math.log(e));
      double[] l0 = bound((VarianceChoice) c[0], (T1LogVariance) c[1]).decoderTerm(x0, x1, x0, null);
      assertThat(l0[0]).as("%s, %s", c[0], c[1]).isCloseTo(expected, within(1e-12));
    }
  }

  /**
   * σ_1² = 1e-20 (CLAMP_1E_20 with FIXED_SMALL): a perfect x̂_0 puts all its mass in the right bins
   * (L_0 = 0 exactly), and x̂_0 off by 0.1 puts less than 1e-12 there, so each coordinate gives the
   * floor's 12 ln 10 nats.
   */
  @Test
  void decoderTermAtTheExtremes() {
    VariationalBound bound = bound(VarianceChoice.FIXED_SMALL, T1LogVariance.CLAMP_1E_20);
    INDArray x0 = tensor(new double[] {1.0, 130 / 127.5 - 1, -1.0}, 1, 3);
    INDArray x1 = tensor(new double[] {0.3, -0.2, 0.9}, 1, 3);
    assertThat(bound.decoderTerm(x0, x1, x0, null)).containsExactly(0.0);
    INDArray off = tensor(new double[] {0.9, 130 / 127.5 - 0.9, -0.9}, 1, 3);
    assertThat(bound.decoderTerm(x0, x1, off, null)[0])
        .isCloseTo(3 * 12 * Math.log(10), within(1e-13));
  }

  @Test
  void rejectsBadInput() {
    VariationalBound bound = bound(VarianceChoice.FIXED_SMALL);
    assertThatThrownBy(() -> bound.stepTerm(one(0.5), one(0.2), new int[] {1}, one(0.1), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1");
    assertThatThrownBy(() -> bound.stepTerm(one(0.5), one(0.2), new int[] {4}, one(0.1), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 4");
    assertThatThrownBy(() -> bound.stepTerm(one(0.5), one(0.2), new int[] {2},
            tensor(new double[] {0.1, 0.2}, 1, 2), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x0Hat");
    assertThatThrownBy(() -> bound(VarianceChoice.LEARNED_RANGE)
            .stepTerm(one(0.5), one(0.2), new int[] {2}, one(0.1), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("modelOutput");
    assertThatThrownBy(() -> bound.decoderTerm(one(0.5), one(0.2), one(0.5), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x0");
    assertThatThrownBy(() -> new VariationalBound(TINY, VarianceChoice.FIXED_SMALL,
            T1LogVariance.CLIP_TO_BETA_TILDE_2, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cdf");
  }

  private static INDArray one(double value) {
    return tensor(new double[] {value}, 1, 1);
  }
}
