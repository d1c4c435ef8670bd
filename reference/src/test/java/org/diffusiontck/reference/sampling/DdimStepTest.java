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

import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DDIM steps (Song et al. 2021, eqs. 12 and 16) on the tiny schedule β = (0.1, 0.2, 0.3, 0.4): ᾱ =
 * (1, 0.9, 0.72, 0.504, 0.3024) for t = 0..4.
 *
 * <p>Tolerance (unless stated): expected values are ≤ 20 double operations on O(1) numbers, and
 * the schedule's ᾱ, 1 − ᾱ and β_{t|s} (products, expm1/log1p) are within a few ulps of the decimal
 * values: 20 · 2 · 1.1e-16 &lt; 1e-14.
 */
class DdimStepTest {
  private static final double TOL = 1e-14;
  private static final NoiseSchedule FOUR = Schedules.fromBetas(0.1, 0.2, 0.3, 0.4);
  private static final double[] ALPHA_BAR = {1.0, 0.9, 0.72, 0.504, 0.3024};
  private static final long[] SHAPE = {1, 3};

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  private static DdimStep ddim(double eta, DdimEpsilon eps, FinalAlphaBar last, X0Clipping clip) {
    return new DdimStep(FOUR, eta, eps, last, clip);
  }

  private static DdimStep ddim(double eta) {
    return ddim(eta, DdimEpsilon.MODEL, FinalAlphaBar.ONE, X0Clipping.NONE);
  }

  private static int[] at(int t) {
    return new int[] {t};
  }

  /** β̃_{t|s} as the variance of the Gaussian product q(x_t | x_s) q(x_s | x_0) in x_s. */
  private static double posteriorVariance(int t, int s) {
    double alphaTs = ALPHA_BAR[t] / ALPHA_BAR[s];
    return 1 / (alphaTs / (1 - alphaTs) + 1 / (1 - ALPHA_BAR[s]));
  }

  /**
   * Eq. 12 by hand, t = 2 → s = 1, ε-prediction: x̂_0 = (x − √0.28 ε)/√0.72; η = 0: x_1 = √0.9
   * x̂_0 + √0.1 ε; η = 0.5: σ² = 0.25 · (0.1/0.28) · (1 − 0.72/0.9) = 0.25 · (0.1/0.28) · 0.2,
   * x_1 = √0.9 x̂_0 + √(0.1 − σ²) ε + σ z.
   */
  @Test
  void equationTwelveByHand() {
    INDArray x = row(X);
    INDArray e = row(OUT);
    INDArray z = row(Z);
    double sigma2 = 0.25 * (0.1 / 0.28) * 0.2;
    double[] det = values(ddim(0.0).step(Prediction.EPSILON, x, at(2), at(1), e, z));
    double[] half = values(ddim(0.5).step(Prediction.EPSILON, x, at(2), at(1), e, z));
    for (int i = 0; i < 3; i++) {
      double x0 = (X[i] - Math.sqrt(0.28) * OUT[i]) / Math.sqrt(0.72);
      assertThat(det[i]).isCloseTo(Math.sqrt(0.9) * x0 + Math.sqrt(0.1) * OUT[i], within(TOL));
      assertThat(half[i]).isCloseTo(Math.sqrt(0.9) * x0 + Math.sqrt(0.1 - sigma2) * OUT[i]
          + Math.sqrt(sigma2) * Z[i], within(TOL));
    }
  }

  /**
   * η = 1 gives the DDPM posterior variance β̃_{t|s} (Song et al. 2021, §4.1), from the Gaussian
   * product, for consecutive and strided pairs; 0 for s = 0. η = 0.3 gives 0.09 β̃_{t|s}: σ² scales
   * as η². Relative tolerance 1e-14: a few roundings of ratios of O(1) numbers.
   */
  @Test
  void sigmaSquaredIsEtaSquaredTimesThePosteriorVariance() {
    int[][] pairs = {{2, 1}, {3, 2}, {4, 3}, {4, 2}, {3, 1}, {4, 1}};
    for (int[] p : pairs) {
      double expected = posteriorVariance(p[0], p[1]);
      assertThat(ddim(1.0).sigmaSquared(p[0], p[1])).as("%d->%d", p[0], p[1])
          .isCloseTo(expected, within(TOL * expected));
      assertThat(ddim(0.3).sigmaSquared(p[0], p[1])).as("%d->%d", p[0], p[1])
          .isCloseTo(0.09 * expected, within(TOL * expected));
      assertThat(ddim(0.3).sigma(p[0], p[1])).isCloseTo(0.3 * Math.sqrt(expected),
          within(TOL * Math.sqrt(expected)));
    }
    for (int t = 1; t <= 4; t++) {
      assertThat(ddim(1.0).sigmaSquared(t, 0)).isZero();
    }
  }

  /**
   * σ² ≤ 1 − ᾱ_s always, and σ² + (direction coefficient)² = 1 − ᾱ_s: on every pair (t, s) of a
   * cosine schedule (T = 40, β capped at 0.999) and of a zero-terminal-SNR schedule (ᾱ_T = 0, where
   * r = β_{T|s}/(1 − ᾱ_T) = 1 exactly), for η ∈ {0, 0.3, 0.7, 1} and both final ᾱ's. The identity
   * holds to 4 roundings of numbers ≤ 1: 1e-15.
   */
  @Test
  void sigmaSquaredNeverExceedsOneMinusAlphaBarS() {
    NoiseSchedule[] schedules = {Schedules.cosine(40),
        Schedules.zeroTerminalSnr(Schedules.linear(40))};
    for (NoiseSchedule schedule : schedules) {
      for (double eta : new double[] {0.0, 0.3, 0.7, 1.0}) {
        for (FinalAlphaBar last : FinalAlphaBar.values()) {
          DdimStep step = new DdimStep(schedule, eta, DdimEpsilon.MODEL, last, X0Clipping.NONE);
          for (int t = 1; t <= schedule.T(); t++) {
            for (int s = 0; s < t; s++) {
              double budget = schedule.oneMinusAlphaBar(step.landing(s));
              double sigma2 = step.sigmaSquared(t, s);
              double direction = step.directionCoefficient(t, s);
              String what = "eta=" + eta + " " + last + " " + t + "->" + s;
              assertThat(sigma2).as(what).isLessThanOrEqualTo(budget);
              assertThat(direction).as(what).isNotNaN();
              assertThat(sigma2 + direction * direction).as(what)
                  .isCloseTo(budget, within(1e-15));
            }
          }
        }
      }
    }
  }

  /** σ = 0 (η = 0): the noise is ignored and repeated steps are bit-identical. */
  @Test
  void deterministicWhenEtaIsZero() {
    DdimStep step = ddim(0.0);
    INDArray x = row(X);
    INDArray e = row(OUT);
    double[] a = values(step.step(Prediction.V, x, at(4), at(2), e, tensor(SHAPE, 1, 2, 3)));
    double[] b = values(step.step(Prediction.V, x, at(4), at(2), e, tensor(SHAPE, 1, 2, 3)));
    double[] c = values(step.step(Prediction.V, x, at(4), at(2), e, tensor(SHAPE, -7, 0, 5)));
    assertThat(a).containsExactly(b);
    assertThat(a).containsExactly(c);
    double[] nan = values(step.step(Prediction.V, x, at(4), at(2), e,
        tensor(SHAPE, Double.NaN, Double.NaN, Double.NaN)));
    assertThat(nan).as("the noise is not read").containsExactly(a);
  }

  /**
   * With the perfect predictor of the one-point data set {c}: the step to s = 0 lands on c, and the
   * step to s ≥ 1 on √ᾱ_s c + √(1 − ᾱ_s) ε (η = 0) or √ᾱ_s c + √(1 − ᾱ_s − σ²) ε + σ z (η = 0.4, σ²
   * = 0.16 β̃_{t|s} from the Gaussian product), ε = (x_t − √ᾱ_t c)/√(1 − ᾱ_t), for every
   * prediction type. Tolerance 1e-14: the x̂_0 recovered from ε or v is c up to a few roundings
   * amplified by 1/√ᾱ_t ≤ 1.9.
   */
  @Test
  void perfectPredictorLandsOnTheData() {
    double c = 0.7;
    INDArray x = row(X);
    INDArray z = row(Z);
    int[][] pairs = {{4, 0}, {2, 0}, {4, 2}, {3, 1}, {2, 1}};
    for (Prediction prediction : Prediction.values()) {
      PointMassPredictor model = new PointMassPredictor(FOUR, c, prediction);
      for (int[] p : pairs) {
        int t = p[0];
        int s = p[1];
        INDArray out = model.predict(x, at(t));
        double[] det = values(ddim(0.0).step(prediction, x, at(t), at(s), out, z));
        double[] noisy = values(ddim(0.4).step(prediction, x, at(t), at(s), out, z));
        double sigma2 = s == 0 ? 0.0 : 0.16 * posteriorVariance(t, s);
        for (int i = 0; i < 3; i++) {
          double eps = model.eps(X[i], t);
          double expectedDet = Math.sqrt(ALPHA_BAR[s]) * c + Math.sqrt(1 - ALPHA_BAR[s]) * eps;
          double expectedNoisy = Math.sqrt(ALPHA_BAR[s]) * c
              + Math.sqrt(1 - ALPHA_BAR[s] - sigma2) * eps + Math.sqrt(sigma2) * Z[i];
          String what = prediction + " " + t + "->" + s + " i=" + i;
          assertThat(det[i]).as(what).isCloseTo(expectedDet, within(TOL));
          assertThat(noisy[i]).as(what).isCloseTo(expectedNoisy, within(TOL));
        }
      }
    }
  }

  /**
   * Inversion s → t then generation t → s (η = 0) returns x_s for the perfect predictor, with the
   * model at the source (s, or 1 for s = 0 under FIRST_SELECTED). Tolerance 1e-14: two steps of
   * O(1) arithmetic.
   */
  @Test
  void inversionThenGenerationReturnsTheInput() {
    INDArray xs = row(X);
    int[][] pairs = {{1, 3}, {2, 4}, {1, 2}, {0, 2}, {0, 4}};
    for (Prediction prediction : Prediction.values()) {
      PointMassPredictor model = new PointMassPredictor(FOUR, -0.4, prediction);
      DdimStep step = ddim(0.0, DdimEpsilon.MODEL, FinalAlphaBar.FIRST_SELECTED, X0Clipping.NONE);
      for (int[] p : pairs) {
        int s = p[0];
        int t = p[1];
        int u = step.inversionModelTime(s, t, InversionModelTime.SOURCE);
        INDArray xt = step.invert(prediction, xs, at(s), at(t), model.predict(xs, at(u)));
        INDArray back = step.step(prediction, xt, at(t), at(s), model.predict(xt, at(t)), xs);
        double[] expected = values(xs);
        double[] got = values(back);
        for (int i = 0; i < 3; i++) {
          assertThat(got[i]).as("%s %d->%d", prediction, s, t)
              .isCloseTo(expected[i], within(TOL));
        }
      }
    }
  }

  /**
   * Inversion by hand with an arbitrary ε output e: x_t = √ᾱ_t (x_s − √(1 − ᾱ_s) e)/√ᾱ_s + √(1 −
   * ᾱ_t) e, here s = 1, t = 3; from s = 0 under ONE, x̂_0 = x_0 and x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) e.
   */
  @Test
  void inversionByHand() {
    INDArray xs = row(X);
    INDArray e = row(OUT);
    double[] fromOne = values(ddim(0.0).invert(Prediction.EPSILON, xs, at(1), at(3), e));
    double[] fromZero = values(ddim(0.0).invert(Prediction.EPSILON, xs, at(0), at(3), e));
    for (int i = 0; i < 3; i++) {
      double x0 = (X[i] - Math.sqrt(0.1) * OUT[i]) / Math.sqrt(0.9);
      assertThat(fromOne[i]).isCloseTo(Math.sqrt(0.504) * x0 + Math.sqrt(0.496) * OUT[i],
          within(TOL));
      assertThat(fromZero[i]).isCloseTo(Math.sqrt(0.504) * X[i] + Math.sqrt(0.496) * OUT[i],
          within(TOL));
    }
  }

  @Test
  void inversionModelTimeOptions() {
    DdimStep one = ddim(0.0);
    DdimStep first = ddim(0.0, DdimEpsilon.MODEL, FinalAlphaBar.FIRST_SELECTED, X0Clipping.NONE);
    assertThat(one.inversionModelTime(2, 4, InversionModelTime.SOURCE)).isEqualTo(2);
    assertThat(one.inversionModelTime(2, 4, InversionModelTime.TARGET)).isEqualTo(4);
    assertThat(one.inversionModelTime(0, 4, InversionModelTime.TARGET)).isEqualTo(4);
    assertThat(first.inversionModelTime(0, 4, InversionModelTime.SOURCE)).isEqualTo(1);
    assertThatThrownBy(() -> one.inversionModelTime(0, 4, InversionModelTime.SOURCE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SOURCE")
        .hasMessageContaining("s = 0");
  }

  /**
   * FinalAlphaBar changes only the step to s = 0: steps to s ≥ 1 are bit-identical under both; the
   * step to 0 differs, and under FIRST_SELECTED it is bit-identical to the step to 1 under ONE.
   */
  @Test
  void finalAlphaBarOnlyAffectsTheLastStep() {
    INDArray x = row(X);
    INDArray e = row(OUT);
    INDArray z = row(Z);
    for (double eta : new double[] {0.0, 0.6}) {
      DdimStep one = ddim(eta, DdimEpsilon.MODEL, FinalAlphaBar.ONE, X0Clipping.NONE);
      DdimStep first = ddim(eta, DdimEpsilon.MODEL, FinalAlphaBar.FIRST_SELECTED, X0Clipping.NONE);
      assertThat(values(first.step(Prediction.EPSILON, x, at(4), at(2), e, z)))
          .containsExactly(values(one.step(Prediction.EPSILON, x, at(4), at(2), e, z)));
      double[] toZeroFirst = values(first.step(Prediction.EPSILON, x, at(3), at(0), e, z));
      assertThat(toZeroFirst)
          .isNotEqualTo(values(one.step(Prediction.EPSILON, x, at(3), at(0), e, z)));
      assertThat(toZeroFirst)
          .containsExactly(values(one.step(Prediction.EPSILON, x, at(3), at(1), e, z)));
    }
    assertThat(ddim(0.0).alphaBarTarget(0)).isEqualTo(1.0);
    assertThat(ddim(0.0, DdimEpsilon.MODEL, FinalAlphaBar.FIRST_SELECTED, X0Clipping.NONE)
        .alphaBarTarget(0)).isEqualTo(FOUR.alphaBar(1));
  }

  /**
   * DdimEpsilon matters only when clipping changes x̂_0. x_0-prediction 3 at t = 2 → s = 1 with
   * CLIP: x̂_0 = 1; MODEL keeps ε = (x − √0.72·3)/√0.28, RECOMPUTED uses ε' = (x − √0.72·1)/√0.28;
   * x_1 = √0.9·1 + √0.1·ε(').
   */
  @Test
  void ddimEpsilonMattersOnlyWhenClippingActs() {
    INDArray x = row(X);
    INDArray out = tensor(SHAPE, 3.0, 0.2, -0.5);
    double[] ov = values(out);
    double[] model = values(ddim(0.0, DdimEpsilon.MODEL, FinalAlphaBar.ONE, X0Clipping.CLIP)
        .step(Prediction.X0, x, at(2), at(1), out, x));
    double[] recomputed = values(ddim(0.0, DdimEpsilon.RECOMPUTED_FROM_CLIPPED_X0,
        FinalAlphaBar.ONE, X0Clipping.CLIP).step(Prediction.X0, x, at(2), at(1), out, x));
    double[] clipped = {1.0, 0.2, -0.5};
    for (int i = 0; i < 3; i++) {
      double epsModel = (X[i] - Math.sqrt(0.72) * ov[i]) / Math.sqrt(0.28);
      double epsClipped = (X[i] - Math.sqrt(0.72) * clipped[i]) / Math.sqrt(0.28);
      double x0 = clipped[i];
      assertThat(model[i]).isCloseTo(Math.sqrt(0.9) * x0 + Math.sqrt(0.1) * epsModel, within(TOL));
      assertThat(recomputed[i])
          .isCloseTo(Math.sqrt(0.9) * x0 + Math.sqrt(0.1) * epsClipped, within(TOL));
    }
    assertThat(model[0]).isNotCloseTo(recomputed[0], within(0.1));
    // Without clipping the recomputed ε equals the model's up to rounding (a round trip through
    // x̂_0 of O(1) values): 1e-14.
    double[] plainModel = values(ddim(0.0).step(Prediction.EPSILON, x, at(2), at(1), out, x));
    double[] plainRecomputed = values(ddim(0.0, DdimEpsilon.RECOMPUTED_FROM_CLIPPED_X0,
        FinalAlphaBar.ONE, X0Clipping.NONE).step(Prediction.EPSILON, x, at(2), at(1), out, x));
    for (int i = 0; i < 3; i++) {
      assertThat(plainRecomputed[i]).isCloseTo(plainModel[i], within(TOL));
    }
  }

  /** Clipping leaves a step bit-identical when x̂_0 is inside [−1, 1], and changes it otherwise. */
  @Test
  void clippingMattersOnlyOutsideTheUnitInterval() {
    INDArray x = row(X);
    INDArray inside = tensor(SHAPE, 0.9, -1.0, 0.0);
    INDArray outside = tensor(SHAPE, 0.9, -1.5, 0.0);
    DdimStep none = ddim(0.0);
    DdimStep clip = ddim(0.0, DdimEpsilon.MODEL, FinalAlphaBar.ONE, X0Clipping.CLIP);
    assertThat(values(clip.step(Prediction.X0, x, at(3), at(1), inside, x)))
        .containsExactly(values(none.step(Prediction.X0, x, at(3), at(1), inside, x)));
    assertThat(values(clip.step(Prediction.X0, x, at(3), at(1), outside, x)))
        .isNotEqualTo(values(none.step(Prediction.X0, x, at(3), at(1), outside, x)));
    assertThat(values(outside)).as("model output untouched").containsExactly(0.9, -1.5, 0.0);
  }

  @Test
  void badInputsAreErrors() {
    for (double eta : new double[] {-0.1, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> ddim(eta))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("eta")
          .hasMessageContaining(String.valueOf(eta));
    }
    INDArray x = row(X);
    assertThatThrownBy(() -> ddim(0.0).step(Prediction.X0, x, at(2), at(2), x, x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s");
    assertThatThrownBy(() -> ddim(0.0).step(Prediction.X0, x, at(0), at(0), x, x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("t");
    assertThatThrownBy(() -> ddim(0.0).invert(Prediction.X0, x, at(3), at(2), x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s");
    assertThatThrownBy(() -> ddim(0.0).sigma(5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5");
  }
}
