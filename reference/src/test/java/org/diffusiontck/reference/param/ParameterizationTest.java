package org.diffusiontck.reference.param;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.checks.rules.HighPrecision.U;

import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.forward.ForwardProcess;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every conversion on one consistent hand-made quadruple (x_0, ε, x_t, v) and its score. The hand
 * schedule β = 0.36, 0.4375, 0.75 has ᾱ_1 = 0.64 (√ᾱ = 0.8, √(1 − ᾱ) = 0.6) and ᾱ_2 = 0.36 (√ᾱ
 * = 0.6, √(1 − ᾱ) = 0.8): exact square roots.
 *
 * <pre>
 * row 0, t = 1: x_0 = (1, −2, 0.5),  ε = (0.5, 1, −1)
 *   x_t = 0.8 x_0 + 0.6 ε = (0.8 + 0.3, −1.6 + 0.6, 0.4 − 0.6) = (1.1, −1, −0.2)
 *   v   = 0.8 ε − 0.6 x_0 = (0.4 − 0.6, 0.8 + 1.2, −0.8 − 0.3) = (−0.2, 2, −1.1)
 *   score = −ε/0.6 = (−5/6, −5/3, 5/3)
 * row 1, t = 2: x_0 = (−1, 0, 2),   ε = (2, −0.5, 0.25)
 *   x_t = 0.6 x_0 + 0.8 ε = (−0.6 + 1.6, −0.4, 1.2 + 0.2) = (1, −0.4, 1.4)
 *   v   = 0.6 ε − 0.8 x_0 = (1.2 + 0.8, −0.3, 0.15 − 1.6) = (2, −0.3, −1.45)
 *   score = −ε/0.8 = (−2.5, 0.625, −0.3125)
 * </pre>
 *
 * Tolerance TOL = 1e-14 absolute: a conversion is two terms of magnitude ≤ 5 (the largest
 * coefficient is 1/0.6 and the largest input 2), each coefficient within ~6 roundings of its
 * exact value (table, square root, division) and each literal within ½ ulp, so |error| ≤ 2 · 5 ·
 * 8u ≈ 9e-15.
 */
class ParameterizationTest {
  private static final double TOL = 1e-14;
  private static final NoiseSchedule HAND = Schedules.fromBetas(0.36, 0.4375, 0.75);
  private static final Parameterization P = new Parameterization(HAND);
  private static final int[] T = {1, 2};
  private static final long[] SHAPE = {2, 3};

  static final INDArray X0 = matrix(1, -2, 0.5, -1, 0, 2);
  static final INDArray EPS = matrix(0.5, 1, -1, 2, -0.5, 0.25);
  static final INDArray XT = matrix(1.1, -1, -0.2, 1, -0.4, 1.4);
  static final INDArray V = matrix(-0.2, 2, -1.1, 2, -0.3, -1.45);
  static final INDArray SCORE = matrix(-5.0 / 6, -5.0 / 3, 5.0 / 3, -2.5, 0.625, -0.3125);

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  static INDArray matrix(double... values) {
    return Nd4j.create(values, SHAPE, 'c');
  }

  static void assertClose(INDArray actual, INDArray expected, double tolerance) {
    assertThat(actual.shape()).containsExactly(expected.shape());
    double[] a = actual.dup().data().asDouble();
    double[] e = expected.dup().data().asDouble();
    for (int i = 0; i < e.length; i++) {
      assertThat(a[i]).as("element %d", i).isCloseTo(e[i], within(tolerance));
    }
  }

  /** ε ↔ x_0, the three v conversions and their inverses, ε ↔ score: each maps the quadruple. */
  @Test
  void everyConversionMapsTheHandQuadruple() {
    assertClose(P.x0FromEps(XT, T, EPS), X0, TOL);
    assertClose(P.epsFromX0(XT, T, X0), EPS, TOL);
    assertClose(P.vFromEpsAndX0(T, EPS, X0), V, TOL);
    assertClose(P.x0FromV(XT, T, V), X0, TOL);
    assertClose(P.epsFromV(XT, T, V), EPS, TOL);
    assertClose(P.vFromX0(XT, T, X0), V, TOL);
    assertClose(P.vFromEps(XT, T, EPS), V, TOL);
    assertClose(P.scoreFromEps(XT, T, EPS), SCORE, TOL);
    assertClose(P.epsFromScore(XT, T, SCORE), EPS, TOL);
  }

  @Test
  void inputsAreNotModified() {
    INDArray xt = XT.dup();
    INDArray eps = EPS.dup();
    P.x0FromEps(xt, T, eps);
    P.vFromEps(xt, T, eps);
    P.scoreFromEps(xt, T, eps);
    assertClose(xt, XT, 0);
    assertClose(eps, EPS, 0);
  }

  /**
   * Round trips on the linear T = 1000 schedule at t = 1, 500, 1000 with portable noise as data.
   * x_0 → ε → x_0, x_0 → v → x_0, ε → v → ε, ε → score → ε, all with x_t fixed. The way back
   * divides by √ᾱ_t or √(1 − ᾱ_t), so an absolute rounding error of the forward value (≤ 8u · M,
   * M the largest entry of x_0, ε, x_t) grows by at most 1/min(√ᾱ_t, √(1 − ᾱ_t)): 16u · M / that.
   */
  @Test
  void roundTrips() {
    NoiseSchedule schedule = Schedules.linear(1000);
    Parameterization p = new Parameterization(schedule);
    PortableNoise noise = new PortableNoise(20240607L, 3L);
    INDArray x0 = noise.normal(3, 2, 4);
    INDArray eps = noise.normal(3, 2, 4);
    int[] t = {1, 500, 1000};
    double smallest = 1;
    for (int tb : t) {
      smallest = Math.min(smallest, Math.min(Math.sqrt(schedule.alphaBar(tb)),
          Math.sqrt(schedule.oneMinusAlphaBar(tb))));
    }
    INDArray xt = new ForwardProcess(schedule).sample(x0, t, eps);
    double m = Math.max(xt.amaxNumber().doubleValue(),
        Math.max(x0.amaxNumber().doubleValue(), eps.amaxNumber().doubleValue()));
    double tolerance = 16 * U * m / smallest;
    assertClose(p.x0FromEps(xt, t, p.epsFromX0(xt, t, x0)), x0, tolerance);
    assertClose(p.x0FromV(xt, t, p.vFromX0(xt, t, x0)), x0, tolerance);
    assertClose(p.epsFromV(xt, t, p.vFromEps(xt, t, eps)), eps, tolerance);
    assertClose(p.epsFromScore(xt, t, p.scoreFromEps(xt, t, eps)), eps, tolerance);
    assertClose(p.x0FromEps(xt, t, eps), x0, tolerance);
  }

  /**
   * t = 0: ᾱ_0 = 1, 1 − ᾱ_0 = 0. Conversions that divide by √(1 − ᾱ_0) fail naming t; the others
   * are exact: x̂_0 = x_t (from ε or v), ε = v, v = ε.
   */
  @Test
  void atTimestepZero() {
    int[] zero = {0, 0};
    assertClose(P.x0FromEps(XT, zero, EPS), XT, 0);
    assertClose(P.x0FromV(XT, zero, V), XT, 0);
    assertClose(P.epsFromV(XT, zero, V), V, 0);
    assertClose(P.vFromEps(XT, zero, EPS), EPS, 0);
    assertClose(P.vFromEpsAndX0(zero, EPS, X0), EPS, 0);
    assertThatThrownBy(() -> P.epsFromX0(XT, zero, X0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("conversion x0 -> eps divides by sqrt(1 - alphaBar_t), which is 0 at t = 0");
    assertThatThrownBy(() -> P.vFromX0(XT, zero, X0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("conversion x0 -> v divides by sqrt(1 - alphaBar_t), which is 0 at t = 0");
    assertThatThrownBy(() -> P.scoreFromEps(XT, new int[] {1, 0}, EPS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("conversion eps -> score divides by sqrt(1 - alphaBar_t), which is 0 at t = 0");
  }

  /**
   * ᾱ_T = 0 (zero terminal SNR): ε → x_0 and ε → v divide by √ᾱ_T and fail naming t; the rest are
   * exact: x_t is pure noise, so ε = x_t, x̂_0 = −v, v = −x_0, score = −ε.
   */
  @Test
  void atZeroTerminalSnr() {
    Parameterization p = new Parameterization(Schedules.zeroTerminalSnr(HAND));
    int[] last = {3, 3};
    assertThatThrownBy(() -> p.x0FromEps(XT, last, EPS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("conversion eps -> x0 divides by sqrt(alphaBar_t), which is 0 at t = 3 "
            + "(zero terminal SNR); use v- or x0-prediction there");
    assertThatThrownBy(() -> p.vFromEps(XT, new int[] {1, 3}, EPS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eps -> v").hasMessageContaining("0 at t = 3");
    assertClose(p.epsFromX0(XT, last, X0), XT, 0);
    assertClose(p.epsFromV(XT, last, V), XT, 0);
    assertClose(p.x0FromV(XT, last, V), V.neg(), 0);
    assertClose(p.vFromX0(XT, last, X0), X0.neg(), 0);
    assertClose(p.vFromEpsAndX0(last, EPS, X0), X0.neg(), 0);
    assertClose(p.scoreFromEps(XT, last, EPS), EPS.neg(), 0);
  }

  @Test
  void badArgumentsAreRejectedNamingThemAndTheirValue() {
    assertThatThrownBy(() -> P.x0FromEps(XT, T, Nd4j.zeros(2, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eps must have the shape of xt [2, 3], got [2, 2]");
    assertThatThrownBy(() -> P.x0FromV(XT, new int[] {1}, V))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("t must hold one timestep per batch element of xt (2), got 1 timesteps");
    assertThatThrownBy(() -> P.epsFromScore(XT, new int[] {1, 4}, SCORE))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("t must be in 0..3, got 4");
  }
}
