package org.diffusiontck.reference.posterior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.checks.rules.HighPrecision.FIELD;
import static org.diffusiontck.checks.rules.HighPrecision.U;
import static org.diffusiontck.checks.rules.HighPrecision.absoluteError;
import static org.diffusiontck.checks.rules.HighPrecision.of;
import static org.diffusiontck.checks.rules.HighPrecision.relativeError;

import org.apache.commons.math3.dfp.Dfp;
import org.apache.commons.math3.dfp.DfpMath;
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
 * q(x_s | x_t, x_0) against Bayes' rule. Hand schedule β = 0.36, 0.4375, 0.75: ᾱ = 0.64, 0.36,
 * 0.09 (√ᾱ = 0.8, 0.6, 0.3), 1 − ᾱ = 0.36, 0.64, 0.91, α = 0.64, 0.5625, 0.25. Hand tolerance TOL
 * = 16u: every hand value is below 1 and a dozen roundings of exact decimals.
 */
class PosteriorTest {
  private static final double TOL = 16 * U;
  private static final NoiseSchedule HAND = Schedules.fromBetas(0.36, 0.4375, 0.75);
  private static final Posterior POSTERIOR = new Posterior(HAND);
  private static final Dfp LOG_1E_20 = DfpMath.log(of("1e-20"));

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /**
   * Hand values, μ̃ = c_0 x_0 + c_t x_t, β̃ = (1 − ᾱ_s)β_{t|s}/(1 − ᾱ_t).
   *
   * <pre>
   * (t, s) = (2, 1): c_0 = 0.8 · 0.4375/0.64 = 0.546875, c_t = 0.75 · 0.36/0.64 = 0.421875,
   *                  β̃ = 0.36 · 0.4375/0.64 = 0.24609375
   * (3, 2):          c_0 = 0.6 · 0.75/0.91 = 0.45/0.91, c_t = 0.5 · 0.64/0.91 = 0.32/0.91,
   *                  β̃ = 0.64 · 0.75/0.91 = 0.48/0.91
   * (3, 1) strided:  α_{3|1} = 0.140625 (√ = 0.375), β_{3|1} = 0.859375:
   *                  c_0 = 0.8 · 0.859375/0.91 = 0.6875/0.91, c_t = 0.375 · 0.36/0.91 = 0.135/0.91,
   *                  β̃ = 0.36 · 0.859375/0.91 = 0.309375/0.91
   * </pre>
   */
  @Test
  void coefficientsByHand() {
    double[][] expected = {
        {2, 1, 0.546875, 0.421875, 0.24609375},
        {3, 2, 0.45 / 0.91, 0.32 / 0.91, 0.48 / 0.91},
        {3, 1, 0.6875 / 0.91, 0.135 / 0.91, 0.309375 / 0.91}};
    for (double[] row : expected) {
      int t = (int) row[0];
      int s = (int) row[1];
      assertThat(POSTERIOR.meanCoefX0(t, s)).as("c0 %d|%d", t, s).isCloseTo(row[2], within(TOL));
      assertThat(POSTERIOR.meanCoefXt(t, s)).as("ct %d|%d", t, s).isCloseTo(row[3], within(TOL));
      assertThat(POSTERIOR.variance(t, s)).as("var %d|%d", t, s).isCloseTo(row[4], within(TOL));
    }
    assertThat(POSTERIOR.variance(2)).isEqualTo(POSTERIOR.variance(2, 1));
  }

  /**
   * Bayes' rule, computed independently in 50 digits: the prior q(x_s | x_0) = N(√ᾱ_s x_0, 1 − ᾱ_s)
   * times the likelihood q(x_t | x_s) = N(√α_{t|s} x_s, β_{t|s}), as a function of x_s, is a
   * Gaussian of precision P = 1/(1 − ᾱ_s) + α_{t|s}/β_{t|s} and mean (√ᾱ_s x_0/(1 − ᾱ_s) +
   * √α_{t|s} x_t/β_{t|s})/P. So β̃ = 1/P, c_0 = √ᾱ_s/((1 − ᾱ_s)P), c_t = √α_{t|s}/(β_{t|s}P).
   * Checked on the linear and cosine T = 1000 schedules for s = t − 1 (t = 2, 3, 10, 500, 999,
   * 1000) and strided s (t − 2, t − 10, t − 100, 1). Bound: the tables ᾱ, 1 − ᾱ, β_{t|s}, α_{t|s}
   * the coefficients read are within (2t + 2s + 2)u, a square root halves one, and four more
   * roundings: (5t + 8)u.
   */
  @Test
  void coefficientsAreBayesRule() {
    for (NoiseSchedule schedule : new NoiseSchedule[] {Schedules.linear(1000),
        Schedules.cosine(1000)}) {
      Posterior posterior = new Posterior(schedule);
      Dfp[] alphaBar = new HighPrecision(schedule.betas()).alphaBars();
      Dfp one = FIELD.getOne();
      for (int t : new int[] {2, 3, 10, 500, 999, 1000}) {
        for (int s : new int[] {t - 1, t - 2, t - 10, t - 100, 1}) {
          if (s < 1) {
            continue;
          }
          Dfp alphaTS = alphaBar[t].divide(alphaBar[s]);
          Dfp betaTS = one.subtract(alphaTS);
          Dfp priorVariance = one.subtract(alphaBar[s]);
          Dfp precision = one.divide(priorVariance).add(alphaTS.divide(betaTS));
          Dfp c0 = alphaBar[s].sqrt().divide(priorVariance.multiply(precision));
          Dfp ct = alphaTS.sqrt().divide(betaTS.multiply(precision));
          double bound = (5.0 * t + 8) * U;
          assertThat(relativeError(posterior.meanCoefX0(t, s), c0)).as("c0 %d|%d", t, s)
              .isLessThanOrEqualTo(bound);
          assertThat(relativeError(posterior.meanCoefXt(t, s), ct)).as("ct %d|%d", t, s)
              .isLessThanOrEqualTo(bound);
          assertThat(relativeError(posterior.variance(t, s), one.divide(precision)))
              .as("var %d|%d", t, s).isLessThanOrEqualTo(bound);
        }
      }
    }
  }

  /**
   * s = 0: the prior q(x_0 | x_0) is a point mass, so the posterior is x_0 itself: c_t = 0 and β̃
   * = 0 exactly (1 − ᾱ_0 = 0 multiplies both), c_0 = β_{t|0}/(1 − ᾱ_t) = 1 up to the ≤ (2t + 2)u of
   * the two ways 1 − ᾱ_t is computed. Includes t = 1 (β̃_1 = 0) and t = T.
   */
  @Test
  void fromTimestepZeroThePosteriorIsTheData() {
    Posterior posterior = new Posterior(Schedules.linear(1000));
    for (int t : new int[] {1, 2, 1000}) {
      assertThat(posterior.meanCoefXt(t, 0)).isZero();
      assertThat(posterior.variance(t, 0)).isZero();
      assertThat(posterior.meanCoefX0(t, 0)).isCloseTo(1.0, within((4.0 * t + 4) * U));
    }
    assertThat(posterior.variance(1)).isZero();
  }

  /**
   * μ̃ and β̃ as tensors, per batch element, (t, s) = (2, 1), (3, 2), (3, 1) on a [3, 2, 2] batch:
   * μ̃ = c_0 x_0 + c_t x_t coordinate by coordinate with the hand coefficients above.
   */
  @Test
  void meanAndDistributionPerBatchElement() {
    double[] c0 = {0.546875, 0.45 / 0.91, 0.6875 / 0.91};
    double[] ct = {0.421875, 0.32 / 0.91, 0.135 / 0.91};
    double[] variance = {0.24609375, 0.48 / 0.91, 0.309375 / 0.91};
    double[] x0Data = {1, -1, 2, 0.5, 0, 3, -2, 1, 4, -4, 0.25, 1};
    double[] xtData = {0.5, 0.5, -1, 2, 1, 1, 1, -3, 0, 2, -0.5, 1};
    INDArray x0 = Nd4j.create(x0Data, new long[] {3, 2, 2}, 'c');
    INDArray xt = Nd4j.create(xtData, new long[] {3, 2, 2}, 'c');
    int[] t = {2, 3, 3};
    int[] s = {1, 2, 1};
    DiagonalGaussian q = POSTERIOR.distribution(xt, x0, t, s);
    INDArray mean = POSTERIOR.mean(xt, x0, t, s);
    for (int i = 0; i < 12; i++) {
      int b = i / 4;
      double expected = c0[b] * x0Data[i] + ct[b] * xtData[i];
      // Magnitudes ≤ 4: TOL · 4.
      assertThat(mean.getDouble(i)).isCloseTo(expected, within(4 * TOL));
      assertThat(q.mean().getDouble(i)).isEqualTo(mean.getDouble(i));
      assertThat(q.variance().getDouble(i)).isCloseTo(variance[b], within(TOL));
    }
    assertThat(x0.getDouble(0)).as("input untouched").isEqualTo(1.0);
  }

  /**
   * log-variance of the consecutive step, each convention. t ≥ 2: log β̃_t for all three. t = 1:
   * CLIP_TO_BETA_TILDE_2 → log β̃_2 = log 0.24609375, CLAMP_1E_20 → log 1e-20 (50 digits),
   * BETA_1 → log β_1 = log 0.36. The log of a value within TOL relative is within TOL absolute,
   * plus an ulp for each side's log (≤ 2u·|log| ≤ 4u here): TOL + 8u. log 1e-20 ≈ −46.05: ½u from
   * the literal 1e-20, one ulp of 46 (64u) from the log: 66u.
   */
  @Test
  void logVarianceUnderEachConvention() {
    double logTol = TOL + 8 * U;
    for (T1LogVariance convention : T1LogVariance.values()) {
      assertThat(POSTERIOR.logVariance(2, convention))
          .isCloseTo(Math.log(0.24609375), within(logTol));
      assertThat(POSTERIOR.logVariance(3, convention))
          .isCloseTo(Math.log(0.48 / 0.91), within(logTol));
    }
    assertThat(POSTERIOR.logVariance(1, T1LogVariance.CLIP_TO_BETA_TILDE_2))
        .isCloseTo(Math.log(0.24609375), within(logTol));
    assertThat(absoluteError(POSTERIOR.logVariance(1, T1LogVariance.CLAMP_1E_20), LOG_1E_20))
        .isLessThanOrEqualTo(66 * U);
    assertThat(POSTERIOR.logVariance(1, T1LogVariance.BETA_1))
        .isCloseTo(Math.log(0.36), within(logTol));
  }

  /**
   * T = 1: there is no β̃_2 to clip to, an error; the other two conventions still answer: log
   * 1e-20 (66u, as above) and log β_1 = log 0.25 = −2 ln 2 (one ulp of 1.39: 2u).
   */
  @Test
  void singleStepScheduleHasNoBetaTildeTwo() {
    Posterior posterior = new Posterior(Schedules.fromBetas(0.25));
    assertThatThrownBy(() -> posterior.logVariance(1, T1LogVariance.CLIP_TO_BETA_TILDE_2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("convention CLIP_TO_BETA_TILDE_2 needs T >= 2, got T = 1");
    assertThat(absoluteError(posterior.logVariance(1, T1LogVariance.CLAMP_1E_20), LOG_1E_20))
        .isLessThanOrEqualTo(66 * U);
    assertThat(absoluteError(posterior.logVariance(1, T1LogVariance.BETA_1),
        DfpMath.log(of(2)).multiply(-2))).isLessThanOrEqualTo(2 * U);
  }

  @Test
  void badTimestepsAreRejectedNamingThemAndTheirValue() {
    assertThatThrownBy(() -> POSTERIOR.meanCoefX0(2, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s must satisfy 0 <= s < t = 2, got 2");
    assertThatThrownBy(() -> POSTERIOR.meanCoefXt(3, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s must satisfy 0 <= s < t = 3, got -1");
    assertThatThrownBy(() -> POSTERIOR.variance(2, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s must satisfy 0 <= s < t = 2, got 5");
    assertThatThrownBy(() -> POSTERIOR.variance(4, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t must be in 0..3, got 4");
    assertThatThrownBy(() -> POSTERIOR.variance(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t must be at least 1, got 0");
    assertThatThrownBy(() -> POSTERIOR.logVariance(0, T1LogVariance.BETA_1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t must be at least 1, got 0");
    assertThatThrownBy(() -> POSTERIOR.logVariance(1, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("convention must not be null");
  }

  @Test
  void shapesAndTimestepCountsMustMatch() {
    INDArray xt = Nd4j.zeros(2, 3);
    assertThatThrownBy(() -> POSTERIOR.mean(xt, Nd4j.zeros(2, 2), new int[] {2, 2}, new int[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x0 must have the shape of xt [2, 3], got [2, 2]");
    assertThatThrownBy(() -> POSTERIOR.distribution(xt, xt, new int[] {2}, new int[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("t must hold one timestep per batch element of xt (2), got 1 timesteps");
    assertThatThrownBy(() -> POSTERIOR.mean(xt, xt, new int[] {2, 2}, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s must hold one timestep per batch element of xt (2), got null");
  }
}
