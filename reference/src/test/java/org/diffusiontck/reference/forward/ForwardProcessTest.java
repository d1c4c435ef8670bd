package org.diffusiontck.reference.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.checks.rules.HighPrecision.FIELD;
import static org.diffusiontck.checks.rules.HighPrecision.U;
import static org.diffusiontck.checks.rules.HighPrecision.relativeError;

import org.apache.commons.math3.dfp.Dfp;
import org.diffusiontck.checks.rules.HighPrecision;
import org.diffusiontck.reference.DiagonalGaussian;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The forward process on the hand schedule β = 0.36, 0.4375, 0.75: α = 0.64, 0.5625, 0.25 (√α =
 * 0.8, 0.75, 0.5), ᾱ = 0.64, 0.36, 0.09 (√ᾱ = 0.8, 0.6, 0.3), 1 − ᾱ = 0.36, 0.64, 0.91 (√ = 0.6,
 * 0.8, √0.91). Every expected value below is written from these numbers.
 *
 * <p>Tolerance for the hand values, TOL = 16u (u = 2^−53) relative to magnitudes ≤ 4: each
 * coefficient is the schedule's table value (≤ (2t + 2)u = 8u from its decimal), a square root
 * (halves that, adds ½u) and one product with the data (½u), the literals ½u each.
 */
class ForwardProcessTest {
  private static final double TOL = 16 * U * 4;
  private static final NoiseSchedule HAND = Schedules.fromBetas(0.36, 0.4375, 0.75);
  private static final ForwardProcess Q = new ForwardProcess(HAND);

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  private static INDArray tensor(long[] shape, double... values) {
    return Nd4j.create(values, shape, 'c');
  }

  /** b-th batch element of x, flattened. */
  private static double[] row(INDArray x, int b) {
    return x.slice(b).dup().data().asDouble();
  }

  private static void assertRow(INDArray x, int b, double scale, double[] data) {
    double[] actual = row(x, b);
    for (int i = 0; i < data.length; i++) {
      assertThat(actual[i]).as("[%d][%d]", b, i).isCloseTo(scale * data[i], within(TOL));
    }
  }

  /** q(x_t | x_{t−1}) = N(√α_t x_{t−1}, β_t): per batch element t = 1, 2, 3 on a [3, 5] batch. */
  @Test
  void stepScalesByRootAlphaAndHasVarianceBeta() {
    double[] data = {1, -2, 0.5, 1.5, -1};
    INDArray x = Nd4j.vstack(
        tensor(new long[] {1, 5}, data), tensor(new long[] {1, 5}, data),
        tensor(new long[] {1, 5}, data));
    DiagonalGaussian q = Q.step(x, new int[] {1, 2, 3});
    double[] sqrtAlpha = {0.8, 0.75, 0.5};
    double[] beta = {0.36, 0.4375, 0.75};
    for (int b = 0; b < 3; b++) {
      assertRow(q.mean(), b, sqrtAlpha[b], data);
      assertRow(q.variance(), b, beta[b], new double[] {1, 1, 1, 1, 1});
    }
    assertThat(x.getDouble(0, 1)).as("input untouched").isEqualTo(-2.0);
  }

  /**
   * q(x_t | x_0) = N(√ᾱ_t x_0, 1 − ᾱ_t) with t = 0, 1, 2, 3 in one batch of shape [4, 1, 2, 2, 2]
   * (5-D): t = 0 gives the data itself with variance 0 exactly.
   */
  @Test
  void marginalPerBatchElementOnFiveDimensionalTensors() {
    double[] data = {1, 2, 3, 4, -1, -2, -3, -4};
    INDArray x0 = Nd4j.concat(0, tensor(new long[] {1, 1, 2, 2, 2}, data),
        tensor(new long[] {1, 1, 2, 2, 2}, data), tensor(new long[] {1, 1, 2, 2, 2}, data),
        tensor(new long[] {1, 1, 2, 2, 2}, data));
    DiagonalGaussian q = Q.marginal(x0, new int[] {0, 1, 2, 3});
    double[] sqrtAlphaBar = {1, 0.8, 0.6, 0.3};
    double[] variance = {0, 0.36, 0.64, 0.91};
    double[] ones = {1, 1, 1, 1, 1, 1, 1, 1};
    for (int b = 0; b < 4; b++) {
      assertRow(q.mean(), b, sqrtAlphaBar[b], data);
      assertRow(q.variance(), b, variance[b], ones);
    }
    assertThat(row(q.mean(), 0)).containsExactly(data);
    assertThat(row(q.variance(), 0)).containsOnly(0.0);
    assertThat(q.mean().shape()).containsExactly(4, 1, 2, 2, 2);
  }

  /**
   * x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε on a [2, 1, 4, 4, 2] batch with t = 2, 1: the coefficients are
   * (0.6, 0.8) and (0.8, 0.6); with x_0 = 1 and ε = 0.5 everywhere that is 0.6 + 0.4 = 1.0 and 0.8
   * + 0.3 = 1.1.
   */
  @Test
  void sampleCombinesDataAndExplicitNoise() {
    long[] shape = {2, 1, 4, 4, 2};
    INDArray x0 = Nd4j.ones(shape);
    INDArray eps = Nd4j.ones(shape).muli(0.5);
    INDArray xt = Q.sample(x0, new int[] {2, 1}, eps);
    assertThat(xt.shape()).containsExactly(shape);
    for (double v : row(xt, 0)) {
      assertThat(v).isCloseTo(1.0, within(TOL));
    }
    for (double v : row(xt, 1)) {
      assertThat(v).isCloseTo(1.1, within(TOL));
    }
    assertThat(x0.getDouble(0)).isEqualTo(1.0);
    assertThat(eps.getDouble(0)).isEqualTo(0.5);
  }

  /**
   * q(x_t | x_s) = N(√(ᾱ_t/ᾱ_s) x_s, 1 − ᾱ_t/ᾱ_s) for (s, t) = (0, 3), (1, 3), (2, 3), (1, 2):
   * ᾱ_t/ᾱ_s = 0.09, 0.09/0.64 = 0.140625 (= α_2 α_3 = 0.5625 · 0.25), 0.25, 0.5625; √ = 0.3,
   * 0.375, 0.5, 0.75; variances 0.91, 0.859375, 0.75, 0.4375.
   */
  @Test
  void transitionBetweenAnyTwoTimesteps() {
    INDArray xs = tensor(new long[] {4, 2}, 1, -1, 2, -2, 4, -4, 0.5, -0.5);
    DiagonalGaussian q = Q.transition(xs, new int[] {0, 1, 2, 1}, new int[] {3, 3, 3, 2});
    double[] sqrtRatio = {0.3, 0.375, 0.5, 0.75};
    double[] variance = {0.91, 0.859375, 0.75, 0.4375};
    for (int b = 0; b < 4; b++) {
      assertRow(q.mean(), b, sqrtRatio[b], row(xs, b));
      assertRow(q.variance(), b, variance[b], new double[] {1, 1});
      assertThat(Q.alphaBarRatio(new int[] {3, 3, 3, 2}[b], new int[] {0, 1, 2, 1}[b]))
          .isCloseTo(sqrtRatio[b] * sqrtRatio[b], within(TOL));
    }
  }

  /** β_{t|t−1} is β_t itself, bit for bit; and q(x_t | x_{t−1}) from transition equals step. */
  @Test
  void consecutiveTransitionIsTheStep() {
    for (int t = 1; t <= 3; t++) {
      assertThat(Q.betaBetween(t, t - 1)).isEqualTo(HAND.beta(t));
    }
    INDArray x = tensor(new long[] {2, 3}, 1, 2, 3, -1, -2, -3);
    DiagonalGaussian viaTransition = Q.transition(x, new int[] {1, 2}, new int[] {2, 3});
    DiagonalGaussian viaStep = Q.step(x, new int[] {2, 3});
    assertThat(viaTransition.variance().data().asDouble())
        .containsExactly(viaStep.variance().data().asDouble());
    // √(ᾱ_t/ᾱ_{t−1}) against √α_t: a quotient of tables within 2t u and 2(t − 1)u (t ≤ 3), then
    // √ (halves it), and the products with |x| ≤ 3: within 8u · 3.
    double[] a = viaTransition.mean().data().asDouble();
    double[] b = viaStep.mean().data().asDouble();
    for (int i = 0; i < a.length; i++) {
      assertThat(a[i]).isCloseTo(b[i], within(8 * U * 3));
    }
  }

  /**
   * Chapman–Kolmogorov, composed by hand: if x_s ~ q(x_s | x_0) = N(m_s, v_s) and x_t | x_s ~ N(a
   * x_s, β_{t|s}), then x_t ~ N(a m_s, a² v_s + β_{t|s}), which must be q(x_t | x_0). Checked for
   * every s &lt; t of the hand schedule and of the linear T = 1000 schedule (strides 1, 7, 100,
   * from 0). Mean: both sides come from the same ᾱ table, a·√ᾱ_s = √(ᾱ_t/ᾱ_s)·√ᾱ_s against √ᾱ_t is
   * four roundings: 4u relative. Variance: it mixes the product table ᾱ and the log-sum tables
   * 1 − ᾱ, each within (2t + 2)u of the truth: (4t + 8)u relative.
   */
  @Test
  void transitionComposedWithMarginalIsTheMarginal() {
    checkComposition(HAND, new int[][] {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}});
    int[][] pairs = {{0, 1}, {0, 1000}, {1, 2}, {1, 1000}, {993, 1000}, {500, 600}, {999, 1000},
        {7, 14}, {100, 800}};
    checkComposition(Schedules.linear(1000), pairs);
  }

  private static void checkComposition(NoiseSchedule schedule, int[][] pairs) {
    ForwardProcess q = new ForwardProcess(schedule);
    INDArray x0 = tensor(new long[] {1, 3}, 1.0, -0.5, 2.0);
    INDArray ones = Nd4j.ones(1, 3);
    for (int[] pair : pairs) {
      int[] s = {pair[0]};
      int[] t = {pair[1]};
      DiagonalGaussian prior = q.marginal(x0, s);
      DiagonalGaussian transition = q.transition(prior.mean(), s, t);
      double a = q.transition(ones, s, t).mean().getDouble(0);
      DiagonalGaussian target = q.marginal(x0, t);
      for (int i = 0; i < 3; i++) {
        double mean = transition.mean().getDouble(i);
        double variance = a * a * prior.variance().getDouble(i) + transition.variance().getDouble(i);
        double expectedMean = target.mean().getDouble(i);
        double expectedVariance = target.variance().getDouble(i);
        assertThat(mean).as("mean, s=%d t=%d", s[0], t[0])
            .isCloseTo(expectedMean, within(4 * U * Math.abs(expectedMean)));
        assertThat(variance).as("variance, s=%d t=%d", s[0], t[0])
            .isCloseTo(expectedVariance, within((4.0 * t[0] + 8) * U * expectedVariance));
      }
    }
  }

  /**
   * β_{t|s} = 1 − ∏_{k=s+1}^{t} (1 − β_k) and α_{t|s} = ᾱ_t/ᾱ_s on the linear T = 1000 schedule,
   * against 50 digits, for strides 2..200. β_{t|s}: t − s log1p's within 1 ulp summed (same sign)
   * and one expm1, (2(t − s) + 2)u relative; this fails for a difference of the running sums log
   * ᾱ_t − log ᾱ_s, which cancels to hundreds of ulps. α_{t|s}: a quotient of two products of t and
   * s factors, (2t + 2s + 1)u. Every 7th t, to keep the 50-digit divisions few.
   */
  @Test
  void betweenTwoTimestepsToFullRelativePrecision() {
    NoiseSchedule schedule = Schedules.linear(1000);
    ForwardProcess q = new ForwardProcess(schedule);
    Dfp[] alphaBar = new HighPrecision(schedule.betas()).alphaBars();
    for (int t = 2; t <= 1000; t += 7) {
      for (int stride : new int[] {2, 3, 10, 50, 200}) {
        int s = t - stride;
        if (s < 0) {
          continue;
        }
        Dfp ratio = alphaBar[t].divide(alphaBar[s]);
        assertThat(relativeError(q.betaBetween(t, s), FIELD.getOne().subtract(ratio)))
            .as("beta_{%d|%d}", t, s).isLessThanOrEqualTo((2.0 * stride + 2) * U);
        assertThat(relativeError(q.alphaBarRatio(t, s), ratio))
            .as("alpha_{%d|%d}", t, s).isLessThanOrEqualTo((2.0 * t + 2 * s + 1) * U);
      }
    }
  }

  /** A β_k = 1 between s and t makes β_{t|s} = 1 exactly (zero terminal SNR). */
  @Test
  void betweenAcrossBetaOneIsOne() {
    ForwardProcess q = new ForwardProcess(Schedules.fromBetas(0.1, 0.2, 1.0));
    assertThat(q.betaBetween(3, 0)).isEqualTo(1.0);
    assertThat(q.betaBetween(3, 1)).isEqualTo(1.0);
    assertThat(q.alphaBarRatio(3, 1)).isZero();
  }

  @Test
  void scheduleIsTheOneGiven() {
    assertThat(Q.schedule()).isSameAs(HAND);
  }

  @Test
  void badTimestepsAreRejectedNamingThemAndTheirValue() {
    INDArray x = Nd4j.zeros(2, 3);
    assertThatThrownBy(() -> Q.step(x, new int[] {1, 0}))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t must be at least 1, got 0");
    assertThatThrownBy(() -> Q.marginal(x, new int[] {1, 4}))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t must be in 0..3, got 4");
    assertThatThrownBy(() -> Q.sample(x, new int[] {-1, 1}, x))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t must be in 0..3, got -1");
    assertThatThrownBy(() -> Q.transition(x, new int[] {2, 0}, new int[] {2, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s must satisfy 0 <= s < t = 2, got 2");
    assertThatThrownBy(() -> Q.alphaBarRatio(1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s must satisfy 0 <= s < t = 1, got 1");
    assertThatThrownBy(() -> Q.betaBetween(4, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t must be in 0..3, got 4");
    assertThatThrownBy(() -> Q.betaBetween(2, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s must satisfy 0 <= s < t = 2, got -1");
  }

  @Test
  void shapesAndTimestepCountsMustMatch() {
    INDArray x = Nd4j.zeros(2, 3);
    assertThatThrownBy(() -> Q.sample(x, new int[] {1, 1}, Nd4j.zeros(2, 4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eps must have the shape of x0 [2, 3], got [2, 4]");
    assertThatThrownBy(() -> Q.marginal(x, new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("t must hold one timestep per batch element of x (2), got 1 timesteps");
    assertThatThrownBy(() -> Q.transition(x, new int[] {0, 0, 0}, new int[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s must hold one timestep per batch element of x (2), got 3 timesteps");
  }
}
