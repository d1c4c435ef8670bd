package org.diffusiontck.reference.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.checks.rules.HighPrecision.U;
import static org.diffusiontck.checks.rules.HighPrecision.absoluteError;
import static org.diffusiontck.checks.rules.HighPrecision.relativeError;

import java.util.function.IntToDoubleFunction;
import org.apache.commons.math3.dfp.Dfp;
import org.apache.commons.math3.dfp.DfpMath;
import org.diffusiontck.checks.rules.HighPrecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoiseScheduleTest {
  private static final int T = 1000;

  /** Arbitrary β's in [1e-4, 0.0201]: inputs only, nothing here depends on their shape. */
  private static double[] quadraticBetas() {
    double[] betas = new double[T];
    for (int t = 1; t <= T; t++) {
      double r = (double) t / T;
      betas[t - 1] = 1e-4 + 0.02 * r * r;
    }
    return betas;
  }

  /**
   * Every table against the same quantity in 50 digits. Bounds, with u = 2^−53: ᾱ_t is t roundings
   * of 1 − β and t of a product, so ≤ 2t·u relative. log ᾱ_t = Σ log1p(−β_s) sums t same-sign
   * terms, each within 1 ulp: ≤ 2t·u relative. 1 − ᾱ_t = −expm1(that sum): the sum's relative error
   * times x/(eˣ − 1) ≤ 1 (x = −log ᾱ_t), plus expm1's own ulp: ≤ (2t + 2)u. SNR, a ratio of the two:
   * ≤ (4t + 3)u. log SNR is a difference, so its bound is absolute: 2t·u·|log ᾱ| from the sum,
   * (2t + 3)u from log(1 − ᾱ), u·|λ| from the subtraction. Checked at t = 1..10 and every 9th
   * step to T (the 50-digit logarithms are slow; the errors accumulate, so no step escapes).
   */
  @Test
  void tablesMatchFiftyDigitProductsWithinArguedUlps() {
    double[] betas = quadraticBetas();
    NoiseSchedule schedule = new NoiseSchedule(betas);
    Dfp[] alphaBar = HighPrecision.alphaBars(betas);
    Dfp one = HighPrecision.FIELD.getOne();
    for (int t = 1; t <= T; t += t < 10 ? 1 : 9) {
      Dfp oneMinus = one.subtract(alphaBar[t]);
      Dfp logAlphaBar = DfpMath.log(alphaBar[t]);
      Dfp logSnr = logAlphaBar.subtract(DfpMath.log(oneMinus));
      assertThat(relativeError(schedule.alphaBar(t), alphaBar[t])).as("alphaBar_%d", t)
          .isLessThanOrEqualTo(2.0 * t * U);
      assertThat(relativeError(schedule.logAlphaBar(t), logAlphaBar)).as("logAlphaBar_%d", t)
          .isLessThanOrEqualTo(2.0 * t * U);
      assertThat(relativeError(schedule.oneMinusAlphaBar(t), oneMinus)).as("1-alphaBar_%d", t)
          .isLessThanOrEqualTo((2.0 * t + 2) * U);
      assertThat(relativeError(schedule.snr(t), alphaBar[t].divide(oneMinus))).as("SNR_%d", t)
          .isLessThanOrEqualTo((4.0 * t + 3) * U);
      double logSnrBound = (2.0 * t * Math.abs(HighPrecision.toDouble(logAlphaBar)) + 2.0 * t + 3
          + Math.abs(HighPrecision.toDouble(logSnr))) * U;
      assertThat(absoluteError(schedule.logSnr(t), logSnr)).as("logSNR_%d", t)
          .isLessThanOrEqualTo(logSnrBound);
    }
  }

  /** β_t is stored exactly as given, α_t = 1 − β_t; β_0 = 0, α_0 = 1 by convention. */
  @Test
  void betasAreStoredAsGivenWithBetaZeroZero() {
    NoiseSchedule schedule = new NoiseSchedule(new double[] {0.36, 0.4375, 0.75});
    assertThat(schedule.T()).isEqualTo(3);
    assertThat(schedule.betas()).containsExactly(0.0, 0.36, 0.4375, 0.75);
    assertThat(schedule.alpha(0)).isEqualTo(1.0);
    // 1 − 0.4375 = 0.5625 and 1 − 0.75 = 0.25 are exact in binary.
    assertThat(schedule.alpha(2)).isEqualTo(0.5625);
    assertThat(schedule.alpha(3)).isEqualTo(0.25);
  }

  /** The hand schedule: ᾱ = 1, 0.64, 0.64·0.5625 = 0.36, 0.36·0.25 = 0.09. */
  @Test
  void alphaBarsOfTheHandSchedule() {
    NoiseSchedule schedule = new NoiseSchedule(new double[] {0.36, 0.4375, 0.75});
    double[] alphaBars = schedule.alphaBars();
    double[] expected = {1.0, 0.64, 0.36, 0.09};
    for (int t = 0; t <= 3; t++) {
      // ≤ 2t roundings (2t·u) plus the decimal literal's own ½ ulp: within 8 u relative.
      assertThat(Math.abs(alphaBars[t] - expected[t])).isLessThanOrEqualTo(8 * U * expected[t]);
    }
    // 1 − ᾱ_3 = 0.91 (within (2t + 2)u = 8u relative, plus ½ ulp for the literal: 10 u);
    // SNR(2) = 0.36/0.64 = 0.5625 (≤ 11u relative: 16 u); log SNR(1) = log(0.64/0.36) = 2 log(4/3)
    // (absolute ≤ (2|log 0.64| + 5 + |λ|)u + 2u for the literal: 16 u).
    assertThat(schedule.oneMinusAlphaBar(3)).isCloseTo(0.91, within(10 * U));
    assertThat(schedule.snr(2)).isCloseTo(0.5625, within(16 * U));
    assertThat(schedule.logSnr(1))
        .isCloseTo(2 * Math.log(4.0 / 3.0), within(16 * U));
  }

  /** The copies returned by betas() and alphaBars() do not alias the schedule. */
  @Test
  void tablesAreCopies() {
    NoiseSchedule schedule = new NoiseSchedule(new double[] {0.5});
    schedule.betas()[1] = 0.9;
    schedule.alphaBars()[1] = 0.9;
    assertThat(schedule.beta(1)).isEqualTo(0.5);
    assertThat(schedule.alphaBar(1)).isEqualTo(0.5);
  }

  /** t = 0: ᾱ_0 = 1, 1 − ᾱ_0 = 0, log ᾱ_0 = 0, SNR = log SNR = +∞ (Kingma et al. 2021). */
  @Test
  void timestepZeroIsData() {
    NoiseSchedule schedule = Schedules.linear(T);
    assertThat(schedule.beta(0)).isZero();
    assertThat(schedule.alphaBar(0)).isEqualTo(1.0);
    assertThat(schedule.oneMinusAlphaBar(0)).isZero();
    assertThat(schedule.logAlphaBar(0)).isZero();
    assertThat(schedule.snr(0)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(schedule.logSnr(0)).isEqualTo(Double.POSITIVE_INFINITY);
  }

  /**
   * t = 1: 1 − ᾱ_1 = β_1 exactly in the math. The reference's −expm1(log1p(−β_1)) is two
   * functions within 1 ulp each, so within 4u relative; the naive 1 − ᾱ_1 = 1 − (1 − β_1) keeps
   * only the bits of β_1 that survive in 1 − β_1 (absolute error up to u, relative u/β_1 ≈ 1e-12):
   * for β_1 = 1e-4 it is 1.1e-13 off, over 200 times worse.
   */
  @Test
  void oneMinusAlphaBarAtTheFirstStepKeepsBetaToFullPrecision() {
    NoiseSchedule schedule = Schedules.linear(T);
    double beta1 = schedule.beta(1);
    assertThat(beta1).isEqualTo(1e-4);
    double reference = Math.abs(schedule.oneMinusAlphaBar(1) - beta1) / beta1;
    double naive = Math.abs((1.0 - schedule.alphaBar(1)) - beta1) / beta1;
    assertThat(reference).isLessThanOrEqualTo(4 * U);
    assertThat(naive).isGreaterThan(200 * 4 * U);
  }

  /** β_T = 1 (zero terminal SNR): ᾱ_T = 0 and 1 − ᾱ_T = 1 exactly, SNR 0, log SNR and log ᾱ −∞. */
  @Test
  void betaOneZeroesTheSignal() {
    NoiseSchedule schedule = new NoiseSchedule(new double[] {0.5, 1.0});
    assertThat(schedule.alphaBar(2)).isZero();
    assertThat(schedule.oneMinusAlphaBar(2)).isEqualTo(1.0);
    assertThat(schedule.snr(2)).isZero();
    assertThat(schedule.logAlphaBar(2)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(schedule.logSnr(2)).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  /**
   * T = 1: one step, ᾱ_1 = 1 − β_1 = 0.75 exactly; 1 − ᾱ_1 = 0.25 within 4u relative (two functions
   * within 1 ulp each), so SNR(1) = 3 within 5u relative: 16 u absolute covers both.
   */
  @Test
  void singleStepSchedule() {
    NoiseSchedule schedule = new NoiseSchedule(new double[] {0.25});
    assertThat(schedule.T()).isEqualTo(1);
    assertThat(schedule.alphaBar(1)).isEqualTo(0.75);
    assertThat(schedule.oneMinusAlphaBar(1)).isCloseTo(0.25, within(4 * U));
    assertThat(schedule.snr(1)).isCloseTo(3.0, within(16 * U));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY})
  void betaOutsideZeroOneIsRejectedNamingItsIndexAndValue(double bad) {
    assertThatThrownBy(() -> new NoiseSchedule(new double[] {0.1, bad, 0.2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("beta_2 must be in (0.0, 1.0], got " + bad);
  }

  @Test
  void emptyOrMissingBetasAreRejected() {
    assertThatThrownBy(() -> new NoiseSchedule(new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("T must be at least 1, got 0 betas");
    assertThatThrownBy(() -> new NoiseSchedule(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("T must be at least 1, got null betas");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 4})
  void timestepOutsideZeroToTIsRejectedByEveryTable(int bad) {
    NoiseSchedule schedule = new NoiseSchedule(new double[] {0.36, 0.4375, 0.75});
    String message = "t must be in 0..3, got " + bad;
    for (IntToDoubleFunction table : new IntToDoubleFunction[] {schedule::beta, schedule::alpha,
        schedule::alphaBar, schedule::oneMinusAlphaBar, schedule::logAlphaBar, schedule::snr,
        schedule::logSnr}) {
      assertThatThrownBy(() -> table.applyAsDouble(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(message);
    }
  }
}
