package org.diffusiontck.reference.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.reference.sampling.Fixtures.OUT;
import static org.diffusiontck.reference.sampling.Fixtures.X;
import static org.diffusiontck.reference.sampling.Fixtures.Z;
import static org.diffusiontck.reference.sampling.Fixtures.row;
import static org.diffusiontck.reference.sampling.Fixtures.tensor;
import static org.diffusiontck.reference.sampling.Fixtures.values;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.diffusiontck.reference.DiagonalGaussian;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DDPM steps on tiny schedules with explicit β's. The schedule β = (0.1, 0.2, 0.3, 0.4) has ᾱ_1 =
 * 0.9, ᾱ_2 = 0.72, ᾱ_3 = 0.504, ᾱ_4 = 0.3024.
 *
 * <p>Tolerance (unless stated): each expected value is a handful (≤ 20) of double operations on
 * O(1) numbers, and the schedule's own ᾱ and 1 − ᾱ (products, expm1/log1p) are within a few ulps
 * of the decimal values: 20 · 2 · 1.1e-16 &lt; 1e-14.
 */
class DdpmStepTest {
  private static final double TOL = 1e-14;
  private static final NoiseSchedule FOUR = Schedules.fromBetas(0.1, 0.2, 0.3, 0.4);
  private static final long[] SHAPE = {1, 3};

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  private static DdpmStep step(NoiseSchedule schedule, Timesteps timesteps, VarianceChoice choice,
      T1LogVariance t1, X0Clipping clipping) {
    return new DdpmStep(schedule, timesteps, choice, t1, clipping);
  }

  private static DdpmStep fixedSmall(Timesteps timesteps) {
    return step(FOUR, timesteps, VarianceChoice.FIXED_SMALL, T1LogVariance.CLIP_TO_BETA_TILDE_2,
        X0Clipping.NONE);
  }

  /**
   * Ho et al. 2020, Algorithm 2 by hand on T = 2, β = (0.1, 0.2), t = 2: x_1 = (x_2 − β_2/√(1 −
   * ᾱ_2) ε)/√α_2 + σ z with √α_2 = √0.8, 1 − ᾱ_2 = 0.28, σ² = β_2 = 0.2 (fixed large) or β̃_2 =
   * (0.1/0.28)·0.2 = 1/14 (fixed small).
   */
  @Test
  void algorithmTwoByHand() {
    NoiseSchedule two = Schedules.fromBetas(0.1, 0.2);
    INDArray x = row(X);
    INDArray eps = row(OUT);
    INDArray z = row(Z);
    double[][] sigmaSquared = {{0.2}, {1.0 / 14.0}};
    VarianceChoice[] choices = {VarianceChoice.FIXED_LARGE, VarianceChoice.FIXED_SMALL};
    for (int c = 0; c < 2; c++) {
      DdpmStep ddpm = step(two, Timesteps.all(2), choices[c], T1LogVariance.CLIP_TO_BETA_TILDE_2,
          X0Clipping.NONE);
      double[] got = values(ddpm.step(Prediction.EPSILON, x, new int[] {2}, eps, null, z));
      for (int i = 0; i < 3; i++) {
        double expected = (X[i] - 0.2 / Math.sqrt(0.28) * OUT[i]) / Math.sqrt(0.8)
            + Math.sqrt(sigmaSquared[c][0]) * Z[i];
        assertThat(got[i]).as("%s i=%d", choices[c], i).isCloseTo(expected, within(TOL));
      }
    }
  }

  /**
   * Mean and variance of the step t → s equal the posterior q(x_s | x_t, x_0 = x̂_0), here computed
   * as the Gaussian product q(x_t | x_s) q(x_s | x_0) in x_s (Bayes' rule): precision
   * α_{t|s}/β_{t|s} + 1/(1 − ᾱ_s), mean (√α_{t|s} x_t/β_{t|s} + √ᾱ_s x̂_0/(1 − ᾱ_s))/precision,
   * for each prediction type, a consecutive step (3 → 2) and a strided one (4 → 2 on [4, 2]).
   */
  @Test
  void meanAndVarianceAreTheGaussianProductPosterior() {
    double[] alphaBar = {1.0, 0.9, 0.72, 0.504, 0.3024};
    INDArray x = row(X);
    INDArray out = row(OUT);
    int[][] pairs = {{3, 2}, {4, 2}};
    Timesteps[] lists = {Timesteps.all(4), Timesteps.of(4, 4, 2)};
    for (int p = 0; p < pairs.length; p++) {
      int t = pairs[p][0];
      int s = pairs[p][1];
      double alphaTs = alphaBar[t] / alphaBar[s];
      double betaTs = 1 - alphaTs;
      double precision = alphaTs / betaTs + 1 / (1 - alphaBar[s]);
      for (Prediction prediction : Prediction.values()) {
        DiagonalGaussian q = fixedSmall(lists[p])
            .distribution(prediction, x, new int[] {t}, out, null);
        double[] mean = values(q.mean());
        double[] variance = values(q.variance());
        for (int i = 0; i < 3; i++) {
          double x0 = switch (prediction) {
            case EPSILON -> (X[i] - Math.sqrt(1 - alphaBar[t]) * OUT[i]) / Math.sqrt(alphaBar[t]);
            case X0 -> OUT[i];
            case V -> Math.sqrt(alphaBar[t]) * X[i] - Math.sqrt(1 - alphaBar[t]) * OUT[i];
          };
          double expectedMean = (Math.sqrt(alphaTs) * X[i] / betaTs
              + Math.sqrt(alphaBar[s]) * x0 / (1 - alphaBar[s])) / precision;
          String what = prediction + " " + t + "->" + s + " i=" + i;
          assertThat(mean[i]).as(what).isCloseTo(expectedMean, within(TOL));
          // The variance passes through exp(log σ²): relative 1e-15 on top of the sum's rounding.
          assertThat(variance[i]).as(what).isCloseTo(1 / precision, within(TOL));
        }
      }
    }
  }

  /**
   * A strided step uses β_{t|s} = 1 − ᾱ_t/ᾱ_s, not β_t: on [4, 2], fixed large from t = 4 has σ² =
   * 1 − 0.3024/0.72 = 0.58, not β_4 = 0.4; and the respaced schedule is β' = (1 − ᾱ_2, 0.58) =
   * (0.28, 0.58).
   */
  @Test
  void stridedStepsUseTheBetaBetweenTheSelectedTimesteps() {
    Timesteps strided = Timesteps.of(4, 4, 2);
    DdpmStep large = step(FOUR, strided, VarianceChoice.FIXED_LARGE,
        T1LogVariance.CLIP_TO_BETA_TILDE_2, X0Clipping.NONE);
    INDArray x = row(X);
    DiagonalGaussian p = large.distribution(Prediction.EPSILON, x, new int[] {4}, x, null);
    for (double v : values(p.variance())) {
      assertThat(v).isCloseTo(0.58, within(TOL));
    }
    assertThat(large.respaced().beta(1)).isCloseTo(0.28, within(TOL));
    assertThat(large.respaced().beta(2)).isCloseTo(0.58, within(TOL));
    assertThat(large.previous(4)).isEqualTo(2);
    assertThat(large.previous(2)).isEqualTo(0);
  }

  /**
   * The t = 1 convention applies at the first respaced index: on [4, 2], the step 2 → 0 under
   * CLIP_TO_BETA_TILDE_2 reports β̃'_2 = β̃_{4|2} = (0.28/0.6976)·0.58 for fixed small and fixed
   * large alike (improved-diffusion's {@code np.append(posterior_variance[1], betas[1:])}); under
   * BETA_1 fixed large reports β'_1 = 1 − ᾱ_2 = 0.28.
   */
  @Test
  void theT1ConventionActsOnTheRespacedSchedule() {
    Timesteps strided = Timesteps.of(4, 4, 2);
    INDArray x = row(X);
    double betaTilde42 = 0.28 / (1 - 0.3024) * 0.58;
    for (VarianceChoice choice : new VarianceChoice[] {VarianceChoice.FIXED_SMALL,
        VarianceChoice.FIXED_LARGE}) {
      DdpmStep ddpm = step(FOUR, strided, choice, T1LogVariance.CLIP_TO_BETA_TILDE_2,
          X0Clipping.NONE);
      double v = values(ddpm.distribution(Prediction.X0, x, new int[] {2}, x, null).variance())[0];
      assertThat(v).as(choice.name()).isCloseTo(betaTilde42, within(TOL));
    }
    DdpmStep beta1 = step(FOUR, strided, VarianceChoice.FIXED_LARGE, T1LogVariance.BETA_1,
        X0Clipping.NONE);
    double v = values(beta1.distribution(Prediction.X0, x, new int[] {2}, x, null).variance())[0];
    assertThat(v).isCloseTo(0.28, within(TOL));
  }

  /**
   * Learned variances take the model's variance output: LEARNED_RANGE with u = +1 gives β_{t|s} and
   * with u = −1 gives β̃_{t|s} on the strided step 4 → 2 (0.58 and (0.28/0.6976)·0.58);
   * LEARNED_LOG_VARIANCE gives exp of the output.
   */
  @Test
  void learnedVariancesUseTheModelOutput() {
    Timesteps strided = Timesteps.of(4, 4, 2);
    INDArray x = row(X);
    DdpmStep range = step(FOUR, strided, VarianceChoice.LEARNED_RANGE,
        T1LogVariance.CLIP_TO_BETA_TILDE_2, X0Clipping.NONE);
    INDArray u = tensor(SHAPE, 1.0, -1.0, 1.0);
    double[] v = values(range.distribution(Prediction.X0, x, new int[] {4}, x, u).variance());
    assertThat(v[0]).isCloseTo(0.58, within(TOL));
    assertThat(v[1]).isCloseTo(0.28 / (1 - 0.3024) * 0.58, within(TOL));
    DdpmStep logVar = step(FOUR, strided, VarianceChoice.LEARNED_LOG_VARIANCE,
        T1LogVariance.CLIP_TO_BETA_TILDE_2, X0Clipping.NONE);
    INDArray log = tensor(SHAPE, -2.0, 0.0, 1.0);
    double[] w = values(logVar.distribution(Prediction.X0, x, new int[] {4}, x, log).variance());
    assertThat(w).containsExactly(Math.exp(-2.0), 1.0, Math.exp(1.0));
  }

  /** No noise on the step that lands on 0: two different noises give bit-identical results. */
  @Test
  void noNoiseOnTheLastStep() {
    DdpmStep ddpm = fixedSmall(Timesteps.of(4, 4, 2));
    INDArray x = row(X);
    INDArray out = row(OUT);
    INDArray a = ddpm.step(Prediction.EPSILON, x, new int[] {2}, out, null,
        tensor(SHAPE, 1.0, 2.0, 3.0));
    INDArray b = ddpm.step(Prediction.EPSILON, x, new int[] {2}, out, null,
        tensor(SHAPE, -5.0, 0.0, 9.0));
    assertThat(values(a)).containsExactly(values(b));
    // step is Algorithm 2's line (one expression), mean goes through x̂_0: equal up to rounding
    double[] mean = values(ddpm.mean(Prediction.EPSILON, x, new int[] {2}, out));
    for (int i = 0; i < mean.length; i++) {
      assertThat(values(a)[i]).isCloseTo(mean[i], within(TOL));
    }
    INDArray c = ddpm.step(Prediction.EPSILON, x, new int[] {4}, out, null,
        tensor(SHAPE, 1.0, 2.0, 3.0));
    assertThat(values(c)).as("noise is added on other steps")
        .isNotEqualTo(values(ddpm.mean(Prediction.EPSILON, x, new int[] {4}, out)));
  }

  /**
   * Per batch element: t = [2, 1] on T = 4 (all selected); element 1 lands on 0 and gets no noise,
   * element 0 gets σ z with σ² = β̃_2 = (0.1/0.28)·0.2.
   */
  @Test
  void timestepIsPerBatchElement() {
    DdpmStep ddpm = fixedSmall(Timesteps.all(4));
    INDArray x = tensor(new long[] {2, 1}, 0.4, 0.4);
    INDArray out = tensor(new long[] {2, 1}, 0.2, 0.2);
    INDArray z = tensor(new long[] {2, 1}, 1.0, 1.0);
    int[] t = {2, 1};
    double[] mean = values(ddpm.mean(Prediction.X0, x, t, out));
    double[] got = values(ddpm.step(Prediction.X0, x, t, out, null, z));
    assertThat(got[1]).isEqualTo(mean[1]);
    assertThat(got[0] - mean[0]).isCloseTo(Math.sqrt(0.1 / 0.28 * 0.2), within(TOL));
  }

  /**
   * Clipping acts on x̂_0 before the posterior mean: an x_0-prediction of 3 is used as 1. With s =
   * 0 the mean is x̂_0 itself (μ̃'s coefficients are 1 and 0 there), so the step from 1 returns the
   * clipped prediction.
   */
  @Test
  void clippingIsAppliedToThePredictedX0() {
    INDArray x = row(X);
    INDArray out = tensor(SHAPE, 3.0, -0.5, -7.0);
    DdpmStep clip = step(FOUR, Timesteps.all(4), VarianceChoice.FIXED_SMALL,
        T1LogVariance.CLIP_TO_BETA_TILDE_2, X0Clipping.CLIP);
    double[] got = values(clip.step(Prediction.X0, x, new int[] {1}, out, null, x));
    assertThat(got[0]).isCloseTo(1.0, within(TOL));
    assertThat(got[1]).isCloseTo(-0.5, within(TOL));
    assertThat(got[2]).isCloseTo(-1.0, within(TOL));
    assertThat(values(clip.predictedX0(Prediction.X0, x, new int[] {2}, out)))
        .containsExactly(1.0, -0.5, -1.0);
    assertThat(values(out)).as("model output untouched").containsExactly(3.0, -0.5, -7.0);
  }

  /**
   * The noise of a batch element whose step lands on 0 is not read at all: NaN there leaves that
   * element's x_0 = μ̃ exact and the other element's σ z as before.
   */
  @Test
  void theNoiseOfAnElementLandingOnZeroIsIgnoredEvenIfNaN() {
    DdpmStep ddpm = fixedSmall(Timesteps.all(4));
    INDArray x = tensor(new long[] {2, 1}, 0.4, 0.4);
    INDArray out = tensor(new long[] {2, 1}, 0.2, 0.2);
    int[] t = {2, 1};
    double[] mean = values(ddpm.mean(Prediction.X0, x, t, out));
    double[] got = values(
        ddpm.step(Prediction.X0, x, t, out, null, tensor(new long[] {2, 1}, 1.0, Double.NaN)));
    assertThat(got[1]).isEqualTo(mean[1]);
    assertThat(got[0] - mean[0]).isCloseTo(Math.sqrt(0.1 / 0.28 * 0.2), within(TOL));
  }

  /**
   * For ε-prediction and consecutive steps the posterior form equals Algorithm 2's line 4 on Ho et
   * al.'s linear schedule, T = 1000, at any t. Tolerance: |x|, |ε| &lt; 2; the posterior form's
   * x̂_0 = (x − √(1 − ᾱ) ε)/√ᾱ reaches 4/√ᾱ_1000 ≈ 610 with ≈ 3 ulps of rounding (4e-13), but its
   * coefficient √ᾱ_{t−1} β_t/(1 − ᾱ_t) is then ≤ 1.3e-4, contributing &lt; 1e-16 (it is larger only
   * where x̂_0 is O(1)); the other terms are O(1) with a few roundings each: &lt; 1e-14.
   */
  @Property(seed = "424242", tries = 25)
  void posteriorFormEqualsAlgorithmTwo(@ForAll @IntRange(min = 1, max = 1000) int t) {
    NoiseSchedule linear = Schedules.linear(1000);
    DdpmStep ddpm = step(linear, Timesteps.all(1000), VarianceChoice.FIXED_SMALL,
        T1LogVariance.CLIP_TO_BETA_TILDE_2, X0Clipping.NONE);
    INDArray x = row(X);
    INDArray eps = tensor(SHAPE, 0.5, 1.9, -0.7);
    double[] mean = values(ddpm.mean(Prediction.EPSILON, x, new int[] {t}, eps));
    double[] ev = values(eps);
    double beta = linear.beta(t);
    for (int i = 0; i < 3; i++) {
      double expected =
          (X[i] - beta / Math.sqrt(linear.oneMinusAlphaBar(t)) * ev[i]) / Math.sqrt(1 - beta);
      assertThat(mean[i]).as("t=%d i=%d", t, i).isCloseTo(expected, within(TOL));
    }
  }

  @Test
  void badInputsAreErrors() {
    DdpmStep ddpm = fixedSmall(Timesteps.of(4, 4, 2));
    INDArray x = row(X);
    assertThatThrownBy(() -> ddpm.step(Prediction.X0, x, new int[] {3}, x, null, x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("selected")
        .hasMessageContaining("3");
    assertThatThrownBy(() -> ddpm.step(Prediction.X0, x, new int[] {4}, x, null,
        tensor(new long[] {1, 2}, 0, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noise");
    assertThatThrownBy(() -> ddpm.step(null, x, new int[] {4}, x, null, x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prediction");
    assertThatThrownBy(() -> new DdpmStep(FOUR, Timesteps.all(5), VarianceChoice.FIXED_SMALL,
        T1LogVariance.CLIP_TO_BETA_TILDE_2, X0Clipping.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("T = 5");
    DdpmStep learned = step(FOUR, Timesteps.all(4), VarianceChoice.LEARNED_RANGE,
        T1LogVariance.CLIP_TO_BETA_TILDE_2, X0Clipping.NONE);
    assertThatThrownBy(() -> learned.step(Prediction.X0, x, new int[] {4}, x, null, x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("modelOutput");
  }
}
