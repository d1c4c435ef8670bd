package org.diffusiontck.reference.reverse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.checks.rules.HighPrecision.U;

import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * log σ_t² on the hand schedule β = 0.36, 0.4375, 0.75, whose posterior variances are β̃_1 = 0,
 * β̃_2 = 0.36 · 0.4375/0.64 = 0.24609375 and β̃_3 = 0.64 · 0.75/0.91 = 0.48/0.91. The expected
 * logs are Math.log of those hand values; TOL = 32u covers a dozen roundings of the variance
 * (which become absolute errors in its log) and one ulp of each log (|log| ≤ 1.1).
 */
class ReverseVarianceTest {
  private static final double TOL = 32 * U;
  private static final NoiseSchedule HAND = Schedules.fromBetas(0.36, 0.4375, 0.75);
  private static final double LOG_BETA_TILDE_2 = Math.log(0.24609375);
  private static final double LOG_BETA_TILDE_3 = Math.log(0.48 / 0.91);
  private static final double[] LOG_BETA = {Double.NaN, Math.log(0.36), Math.log(0.4375),
      Math.log(0.75)};

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  private static ReverseVariance variance(VarianceChoice choice, T1LogVariance t1) {
    return new ReverseVariance(HAND, choice, t1);
  }

  /** log β̃_1 under each convention: log β̃_2, log 1e-20, log β_1. */
  private static double logBetaTilde1(T1LogVariance t1) {
    return switch (t1) {
      case CLIP_TO_BETA_TILDE_2 -> LOG_BETA_TILDE_2;
      case CLAMP_1E_20 -> Math.log(1e-20);
      case BETA_1 -> LOG_BETA[1];
    };
  }

  /** FIXED_SMALL: σ_t² = β̃_t (Ho et al. 2020, §3.2), the t = 1 convention's value at t = 1. */
  @Test
  void fixedSmallIsBetaTilde() {
    for (T1LogVariance t1 : T1LogVariance.values()) {
      ReverseVariance v = variance(VarianceChoice.FIXED_SMALL, t1);
      assertThat(v.fixedLogVariance(1)).as("%s", t1).isCloseTo(logBetaTilde1(t1), within(TOL));
      assertThat(v.fixedLogVariance(2)).isCloseTo(LOG_BETA_TILDE_2, within(TOL));
      assertThat(v.fixedLogVariance(3)).isCloseTo(LOG_BETA_TILDE_3, within(TOL));
      assertThat(v.logBetaTilde(3)).isCloseTo(LOG_BETA_TILDE_3, within(TOL));
    }
  }

  /**
   * FIXED_LARGE: σ_t² = β_t (Ho et al. 2020, §3.2), exactly the stored β for t ≥ 2. At t = 1 Ho et
   * al.'s code and improved-diffusion use β̃_2 ({@code np.append(posterior_variance[1],
   * betas[1:])}), our CLIP_TO_BETA_TILDE_2; diffusers' "fixed_large" keeps β_1.
   */
  @Test
  void fixedLargeIsBetaWithEachFirstStepConvention() {
    assertThat(variance(VarianceChoice.FIXED_LARGE, T1LogVariance.CLIP_TO_BETA_TILDE_2)
        .fixedLogVariance(1)).isCloseTo(LOG_BETA_TILDE_2, within(TOL));
    assertThat(variance(VarianceChoice.FIXED_LARGE, T1LogVariance.CLAMP_1E_20)
        .fixedLogVariance(1)).isEqualTo(LOG_BETA[1]);
    assertThat(variance(VarianceChoice.FIXED_LARGE, T1LogVariance.BETA_1)
        .fixedLogVariance(1)).isEqualTo(LOG_BETA[1]);
    for (T1LogVariance t1 : T1LogVariance.values()) {
      ReverseVariance v = variance(VarianceChoice.FIXED_LARGE, t1);
      assertThat(v.fixedLogVariance(2)).isEqualTo(LOG_BETA[2]);
      assertThat(v.fixedLogVariance(3)).isEqualTo(LOG_BETA[3]);
      assertThat(v.logBeta(3)).isEqualTo(LOG_BETA[3]);
    }
  }

  /** Fixed choices fill x_t's shape per batch element and ignore the (absent) model output. */
  @Test
  void fixedChoicesFillPerBatchElement() {
    INDArray xt = Nd4j.zeros(3, 2, 2);
    ReverseVariance v = variance(VarianceChoice.FIXED_LARGE, T1LogVariance.BETA_1);
    INDArray logVariance = v.logVariance(xt, new int[] {3, 1, 2}, null);
    assertThat(logVariance.shape()).containsExactly(3, 2, 2);
    double[] expected = {LOG_BETA[3], LOG_BETA[1], LOG_BETA[2]};
    for (int i = 0; i < 12; i++) {
      assertThat(logVariance.getDouble(i)).isEqualTo(expected[i / 4]);
    }
  }

  /** LEARNED_LOG_VARIANCE: the model's output is log σ² itself, returned as a copy. */
  @Test
  void learnedLogVarianceIsTheOutput() {
    INDArray output = Nd4j.create(new double[] {-1, -2, -3, -4}, new long[] {2, 2}, 'c');
    INDArray logVariance = variance(VarianceChoice.LEARNED_LOG_VARIANCE,
        T1LogVariance.CLIP_TO_BETA_TILDE_2).logVariance(Nd4j.zeros(2, 2), new int[] {1, 3},
        output);
    assertThat(logVariance.data().asDouble()).containsExactly(-1, -2, -3, -4);
    logVariance.addi(1.0);
    assertThat(output.getDouble(0)).as("a copy, not the output").isEqualTo(-1.0);
  }

  /** LEARNED_VARIANCE: the output is σ²; log 0.25 = −2 ln 2 and log 1 = 0 (within an ulp). */
  @Test
  void learnedVarianceIsTheLogOfTheOutput() {
    INDArray output = Nd4j.create(new double[] {0.25, 1.0}, new long[] {2, 1}, 'c');
    INDArray logVariance = variance(VarianceChoice.LEARNED_VARIANCE, T1LogVariance.BETA_1)
        .logVariance(Nd4j.zeros(2, 1), new int[] {2, 2}, output);
    assertThat(logVariance.getDouble(0)).isCloseTo(-2 * Math.log(2), within(4 * U));
    assertThat(logVariance.getDouble(1)).isZero();
    assertThat(output.getDouble(0)).isEqualTo(0.25);
  }

  /** A variance that is not positive — 0, negative or NaN anywhere — is an error, not a NaN. */
  @Test
  void learnedVarianceRejectsNonPositiveOutput() {
    ReverseVariance v = variance(VarianceChoice.LEARNED_VARIANCE, T1LogVariance.BETA_1);
    INDArray xt = Nd4j.zeros(1, 3);
    String message = "modelOutput must be a positive variance under LEARNED_VARIANCE, got minimum ";
    assertThatThrownBy(() -> v.logVariance(xt, new int[] {1}, Nd4j.createFromArray(
        new double[][] {{1, 0, 2}})))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message + "0.0");
    assertThatThrownBy(() -> v.logVariance(xt, new int[] {1}, Nd4j.createFromArray(
        new double[][] {{1, -0.5, 2}})))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message + "-0.5");
    assertThatThrownBy(() -> v.logVariance(xt, new int[] {1}, Nd4j.createFromArray(
        new double[][] {{1, Double.NaN, 2}})))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message + "NaN");
  }

  /**
   * LEARNED_RANGE (Nichol &amp; Dhariwal 2021, eq. 15): u = −1 gives log β̃_t, u = 1 gives log β_t
   * and u = 0 their average. The upper end is log β_t at t = 1 too, whatever the t = 1 convention
   * (improved-diffusion's {@code max_log = np.log(self.betas)}, diffusers' {@code
   * log(current_beta_t)}); the lower end follows the convention. Batch [3, 3]: t = 1, 2, 3, each
   * row u = −1, 0, 1.
   */
  @Test
  void learnedRangeInterpolatesBetweenBetaTildeAndBeta() {
    INDArray xt = Nd4j.zeros(3, 3);
    INDArray u = Nd4j.createFromArray(new double[][] {{-1, 0, 1}, {-1, 0, 1}, {-1, 0, 1}});
    for (T1LogVariance t1 : T1LogVariance.values()) {
      INDArray logVariance = variance(VarianceChoice.LEARNED_RANGE, t1)
          .logVariance(xt, new int[] {1, 2, 3}, u);
      double[] min = {logBetaTilde1(t1), LOG_BETA_TILDE_2, LOG_BETA_TILDE_3};
      for (int b = 0; b < 3; b++) {
        double max = LOG_BETA[b + 1];
        assertThat(logVariance.getDouble(b, 0)).as("%s t=%d u=-1", t1, b + 1)
            .isCloseTo(min[b], within(TOL));
        assertThat(logVariance.getDouble(b, 1)).as("%s t=%d u=0", t1, b + 1)
            .isCloseTo((min[b] + max) / 2, within(TOL));
        assertThat(logVariance.getDouble(b, 2)).as("%s t=%d u=1", t1, b + 1)
            .isCloseTo(max, within(TOL));
      }
    }
    assertThat(u.getDouble(0, 0)).as("input untouched").isEqualTo(-1.0);
  }

  @Test
  void learnedChoicesNeedTheModelOutput() {
    ReverseVariance v = variance(VarianceChoice.LEARNED_RANGE, T1LogVariance.BETA_1);
    assertThat(v.choice()).isEqualTo(VarianceChoice.LEARNED_RANGE);
    assertThatThrownBy(() -> v.fixedLogVariance(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("choice LEARNED_RANGE is learned: pass the model's variance output");
    assertThatThrownBy(() -> v.logVariance(Nd4j.zeros(1, 2), new int[] {2}, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("modelOutput must not be null");
    assertThatThrownBy(() -> v.logVariance(Nd4j.zeros(1, 2), new int[] {2}, Nd4j.zeros(1, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("modelOutput must have the shape of xt [1, 2], got [1, 3]");
  }

  @Test
  void learnedAndFixedChoicesAreTold() {
    assertThat(VarianceChoice.FIXED_SMALL.learned()).isFalse();
    assertThat(VarianceChoice.FIXED_LARGE.learned()).isFalse();
    assertThat(VarianceChoice.LEARNED_LOG_VARIANCE.learned()).isTrue();
    assertThat(VarianceChoice.LEARNED_VARIANCE.learned()).isTrue();
    assertThat(VarianceChoice.LEARNED_RANGE.learned()).isTrue();
  }

  @Test
  void badArgumentsAreRejectedNamingThemAndTheirValue() {
    assertThatThrownBy(() -> new ReverseVariance(HAND, null, T1LogVariance.BETA_1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("choice and t1 must not be null, got null and BETA_1");
    ReverseVariance learned = variance(VarianceChoice.LEARNED_LOG_VARIANCE, T1LogVariance.BETA_1);
    assertThatThrownBy(() -> learned.logVariance(Nd4j.zeros(1, 2), new int[] {4}, Nd4j.zeros(1, 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t must be in 0..3, got 4");
    ReverseVariance fixed = variance(VarianceChoice.FIXED_SMALL, T1LogVariance.BETA_1);
    assertThatThrownBy(() -> fixed.logVariance(Nd4j.zeros(2, 2), new int[] {0, 1}, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t must be at least 1, got 0");
    assertThatThrownBy(() -> fixed.logVariance(Nd4j.zeros(2, 2), new int[] {1}, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("t must hold one timestep per batch element of xt (2), got 1 timesteps");
    assertThatThrownBy(() -> fixed.logBeta(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t must be at least 1, got 0");
  }
}
