package org.diffusiontck.reference.schedule;

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
import org.junit.jupiter.api.Test;

class SchedulesTest {
  private static final int T = 1000;
  private static final Dfp[] COSINE_F = cosineF(T);

  // ---- linear (Ho et al. 2020, §4) ----

  /** Ho et al. 2020, §4: β_1 = 1e-4 and β_T = 0.02, exactly the literals. */
  @Test
  void linearHasTheDdpmEndpoints() {
    NoiseSchedule schedule = Schedules.linear(T);
    assertThat(schedule.beta(1)).isEqualTo(1e-4);
    assertThat(schedule.beta(T)).isEqualTo(0.02);
  }

  /**
   * β_t = 1e-4 + (t − 1)/999 · (0.02 − 1e-4) with decimal endpoints, in 50 digits. The double
   * route rounds the two literals, the difference, the division, the product and the sum, all of
   * positive terms: ≤ 6u relative, checked against 8u.
   */
  @Test
  void linearInteriorMatchesItsFormula() {
    NoiseSchedule schedule = Schedules.linear(T);
    Dfp start = of("0.0001");
    Dfp step = of("0.02").subtract(start).divide(T - 1);
    for (int t = 1; t <= T; t++) {
      assertThat(relativeError(schedule.beta(t), start.add(step.multiply(t - 1))))
          .as("beta_%d", t).isLessThanOrEqualTo(8 * U);
    }
  }

  /**
   * improved-diffusion's {@code get_named_beta_schedule("linear", T)}: scale = 1000/T, β_1 = scale ·
   * 1e-4, β_T = scale · 0.02. For T = 2000 the scale is 0.5 (exact): β_1 = 5e-5, β_T = 0.01; for T
   * = 1000 it is 1 and changes nothing.
   */
  @Test
  void linearEndpointsScaledByThousandOverT() {
    NoiseSchedule scaled =
        Schedules.linear(2000, 1e-4, 0.02, LinearEndpoints.SCALED_BY_1000_OVER_T);
    assertThat(scaled.beta(1)).isEqualTo(1e-4 / 2);
    assertThat(scaled.beta(2000)).isEqualTo(0.01);
    NoiseSchedule fixed = Schedules.linear(2000, 1e-4, 0.02, LinearEndpoints.FIXED);
    assertThat(fixed.beta(1)).isEqualTo(1e-4);
    assertThat(fixed.beta(2000)).isEqualTo(0.02);
    assertThat(Schedules.linear(T, 1e-4, 0.02, LinearEndpoints.SCALED_BY_1000_OVER_T).betas())
        .containsExactly(Schedules.linear(T).betas());
  }

  /**
   * Scaling can push β above 1: T = 10 scales the endpoints by 100 to 0.01 and 2.0, so β_t = 0.01 +
   * (t − 1) · 1.99/9 first exceeds 1 at t = 6, β_6 = 0.01 + 5 · 0.2211… = 1.1155…; the schedule
   * rejects it naming β_6 and its value.
   */
  @Test
  void scaledEndpointsAboveOneAreRejected() {
    assertThatThrownBy(
            () -> Schedules.linear(10, 1e-4, 0.02, LinearEndpoints.SCALED_BY_1000_OVER_T))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("beta_6 must be in (0.0, 1.0], got 1.11555");
  }

  /** T = 1: numpy's linspace(a, b, 1) = [a], so β_1 = β_start; scaled by 1000: 0.1. */
  @Test
  void linearWithOneStep() {
    assertThat(Schedules.linear(1).betas()).containsExactly(0.0, 1e-4);
    assertThat(Schedules.linear(1, 1e-4, 0.02, LinearEndpoints.SCALED_BY_1000_OVER_T).beta(1))
        .isCloseTo(0.1, within(Math.ulp(0.1)));
  }

  // ---- scaled linear (Rombach et al. 2022) ----

  /**
   * Stable Diffusion's endpoints 0.00085 and 0.012 come back through √ then square: the literal
   * (½u), sqrt (½u, halving the literal's), squaring (twice that, plus ½u): ≤ 2.5u, checked at 4u.
   * The interior, (√a + (t − 1)/(T − 1)(√b − √a))² in 50 digits, adds the linspace roundings
   * (amplified 1.7× by √b − √a) before squaring doubles them: ≤ 10u.
   */
  @Test
  void scaledLinearMatchesItsFormula() {
    NoiseSchedule schedule = Schedules.scaledLinear(T);
    Dfp sqrtStart = of("0.00085").sqrt();
    Dfp sqrtEnd = of("0.012").sqrt();
    assertThat(relativeError(schedule.beta(1), of("0.00085"))).isLessThanOrEqualTo(4 * U);
    assertThat(relativeError(schedule.beta(T), of("0.012"))).isLessThanOrEqualTo(4 * U);
    Dfp step = sqrtEnd.subtract(sqrtStart).divide(T - 1);
    for (int t = 1; t <= T; t++) {
      Dfp sqrtBeta = sqrtStart.add(step.multiply(t - 1));
      assertThat(relativeError(schedule.beta(t), sqrtBeta.multiply(sqrtBeta)))
          .as("beta_%d", t).isLessThanOrEqualTo(10 * U);
    }
  }

  /** T = 3 by hand: √β runs 0.1, 0.2, 0.3, so β = 0.01, 0.04, 0.09 (a few roundings: 8u). */
  @Test
  void scaledLinearByHand() {
    NoiseSchedule schedule = Schedules.scaledLinear(3, 0.01, 0.09);
    assertThat(schedule.beta(1)).isCloseTo(0.01, within(8 * U * 0.01));
    assertThat(schedule.beta(2)).isCloseTo(0.04, within(8 * U * 0.04));
    assertThat(schedule.beta(3)).isCloseTo(0.09, within(8 * U * 0.09));
  }

  // ---- cosine (Nichol & Dhariwal 2021, eq. 17) ----

  /**
   * Nichol &amp; Dhariwal 2021, §3.2 and improved-diffusion's {@code betas_for_alpha_bar}: the
   * first β of the T = 1000 cosine schedule is 4.13e-5 to the three digits usually quoted, and
   * the last is exactly the 0.999 cap (1 − f(T)/f(T − 1) = 1 − 0 would be 1). Only β_T is capped.
   */
  @Test
  void cosineHasThePublishedEndpoints() {
    NoiseSchedule schedule = Schedules.cosine(T);
    assertThat(schedule.beta(1)).isCloseTo(4.13e-5, within(0.005e-5));
    assertThat(schedule.beta(T)).isEqualTo(0.999);
    assertThat(schedule.beta(T - 1)).isLessThan(0.999);
  }

  /**
   * Every β_t against 1 − f(t)/f(t − 1) in 50 digits (s = 0.008 as the decimal the paper gives).
   * Argued bound: the angle a = ((t/T + s)/(1 + s))·π/2 carries ≤ 7u relative (five roundings,
   * the literals s and π); cos(a) turns an argument error into a relative error g(a) = a·tan(a)
   * times larger and adds its own ulp (2u), so f = cos² is within (14g + 5)u and the ratio within
   * (14(g_t + g_{t−1}) + 11)u; 1 − ratio (ratio ≤ 1) adds u absolute. Hence |Δβ_t| ≤ (14(g_t +
   * g_{t−1}) + 12)u: 1.3e-15 at t = 1, 3e-12 next to π/2 where tan explodes.
   */
  @Test
  void cosineBetasMatchTheClosedFormInFiftyDigits() {
    NoiseSchedule schedule = Schedules.cosine(T);
    Dfp[] f = COSINE_F;
    for (int t = 1; t < T; t++) {
      Dfp exact = FIELD.getOne().subtract(f[t].divide(f[t - 1]));
      assertThat(absoluteError(schedule.beta(t), exact)).as("beta_%d", t)
          .isLessThanOrEqualTo(cosineBetaBound(t));
    }
  }

  /**
   * Where the cap is not active, ᾱ_t = f(t)/f(0) (Nichol &amp; Dhariwal 2021, eq. 17), and SNR(t)
   * = f(t)/(f(0) − f(t)). Argued bounds. ᾱ_t: for ratio r_k ≥ ½ the reference's 1 − (1 − r_k) is
   * exact (Sterbenz), so the product telescopes to f(t)/f(0) up to t divisions and t products
   * (2t u), the errors of f(t) and f(0) ((14g + 5)u each) and, where r_k &lt; ½, 2β_k/(1 − β_k) u
   * for the rounding of 1 − r_k. 1 − ᾱ_t = −expm1(S), S = Σ log1p(−β_k): each β_k's absolute error
   * enters S divided by 1 − β_k, the summation adds 2t·u|S|, and expm1 turns |ΔS| into at most
   * |ΔS|/|S| relative, plus its ulp. SNR adds the two relative bounds and a division.
   */
  @Test
  void cosineAlphaBarAndSnrMatchTheClosedFormInFiftyDigits() {
    NoiseSchedule schedule = Schedules.cosine(T);
    Dfp[] f = COSINE_F;
    double g0 = g(0, T);
    double betaRoundings = 0;
    double sumError = 0;
    for (int t = 1; t < T; t++) {
      double beta = schedule.beta(t);
      betaRoundings += 2 * beta / (1 - beta);
      sumError += cosineBetaBound(t) / (1 - beta);
      Dfp alphaBar = f[t].divide(f[0]);
      Dfp oneMinus = FIELD.getOne().subtract(alphaBar);
      double logAlphaBar = Math.abs(Math.log(HighPrecision.toDouble(alphaBar)));
      double alphaBarBound = (2.0 * t + 14 * (g(t, T) + g0) + 10 + betaRoundings) * U;
      double oneMinusBound = (sumError + 2.0 * t * U * logAlphaBar) / logAlphaBar + U;
      assertThat(relativeError(schedule.alphaBar(t), alphaBar)).as("alphaBar_%d", t)
          .isLessThanOrEqualTo(alphaBarBound);
      assertThat(relativeError(schedule.oneMinusAlphaBar(t), oneMinus)).as("1-alphaBar_%d", t)
          .isLessThanOrEqualTo(oneMinusBound);
      assertThat(relativeError(schedule.snr(t), alphaBar.divide(oneMinus))).as("SNR_%d", t)
          .isLessThanOrEqualTo(alphaBarBound + oneMinusBound + U);
    }
  }

  /** T = 1: the only β is 1 − f(1)/f(0) = 1 − cos²(π/2)/… ≈ 1, capped to 0.999. */
  @Test
  void cosineWithOneStepIsTheCap() {
    assertThat(Schedules.cosine(1).betas()).containsExactly(0.0, 0.999);
  }

  /** f(t) = cos²(((t/T + s)/(1 + s)) · π/2), t = 0..T, s = 0.008, in 50 digits. */
  private static Dfp[] cosineF(int steps) {
    Dfp s = of("0.008");
    Dfp halfPi = FIELD.getPi().divide(2);
    Dfp[] f = new Dfp[steps + 1];
    for (int t = 0; t <= steps; t++) {
      Dfp c = DfpMath.cos(of(t).divide(steps).add(s).divide(s.add(1)).multiply(halfPi));
      f[t] = c.multiply(c);
    }
    return f;
  }

  /** g(a) = a·tan(a) at the cosine schedule's angle a of step t: cos's condition number. */
  private static double g(int t, int steps) {
    double a = ((double) t / steps + 0.008) / 1.008 * Math.PI / 2;
    return a * Math.tan(a);
  }

  /** The argued absolute error bound on the cosine schedule's β_t (see above). */
  private static double cosineBetaBound(int t) {
    return (14 * (g(t, T) + g(t - 1, T)) + 12) * U;
  }

  // ---- sigmoid (Xu et al. 2022; diffusers) ----

  /**
   * β_1 = β_start + σ(−6)(β_end − β_start) and β_T = β_start + σ(6)(β_end − β_start), σ(x) = 1/(1 +
   * e^−x) in 50 digits (σ(6) = 0.99752737684…). The double route: exp within 1 ulp, 1 + e^∓6 and
   * 1/(…) one rounding each (≤ 3u for σ), the difference of the endpoints and its literals (2u),
   * product and sum (2u): ≤ 8u.
   */
  @Test
  void sigmoidEndpointsAreTheLogisticAtPlusMinusSix() {
    NoiseSchedule schedule = Schedules.sigmoid(T);
    Dfp start = of("0.0001");
    Dfp range = of("0.02").subtract(start);
    Dfp one = FIELD.getOne();
    Dfp sigmaMinus6 = one.divide(one.add(DfpMath.exp(of(6))));
    Dfp sigmaPlus6 = one.divide(one.add(DfpMath.exp(of(-6))));
    assertThat(HighPrecision.toDouble(sigmaPlus6)).isCloseTo(0.99752737684, within(1e-11));
    assertThat(relativeError(schedule.beta(1), start.add(range.multiply(sigmaMinus6))))
        .isLessThanOrEqualTo(8 * U);
    assertThat(relativeError(schedule.beta(T), start.add(range.multiply(sigmaPlus6))))
        .isLessThanOrEqualTo(8 * U);
  }

  /**
   * T = 3 by hand: linspace(−6, 6, 3) = −6, 0, 6 exactly, so β_2 = β_start + σ(0)(β_end −
   * β_start) = 1e-4 + 0.0199/2 = 0.01005 (a few roundings: 8u).
   */
  @Test
  void sigmoidMidpointByHand() {
    assertThat(Schedules.sigmoid(3).beta(2)).isCloseTo(0.01005, within(8 * U * 0.01005));
  }

  /** T = 1: linspace(−6, 6, 1) = [−6], so the single β is the start end of the sigmoid. */
  @Test
  void sigmoidWithOneStep() {
    assertThat(Schedules.sigmoid(1).beta(1)).isEqualTo(Schedules.sigmoid(T).beta(1));
  }

  // ---- fromBetas ----

  @Test
  void fromBetasCopiesItsInput() {
    double[] betas = {0.1, 0.2};
    NoiseSchedule schedule = Schedules.fromBetas(betas);
    betas[0] = 0.9;
    assertThat(schedule.betas()).containsExactly(0.0, 0.1, 0.2);
  }

  // ---- zero terminal SNR (Lin et al. 2024, Algorithm 1) ----

  /**
   * By hand on ᾱ = 0.64, 0.36, 0.09 (√ᾱ = 0.8, 0.6, 0.3): √ᾱ'_t = (√ᾱ_t − 0.3) · 0.8/(0.8 − 0.3) =
   * (√ᾱ_t − 0.3) · 1.6, i.e. 0.8, 0.48, 0; so ᾱ' = 0.64, 0.2304, 0 and β' = 1 − 0.64 = 0.36, 1 −
   * 0.2304/0.64 = 0.64, and exactly 1. Each value is a dozen roundings of exact decimals: 16u.
   */
  @Test
  void zeroTerminalSnrByHand() {
    NoiseSchedule schedule = Schedules.zeroTerminalSnr(Schedules.fromBetas(0.36, 0.4375, 0.75));
    assertThat(schedule.beta(1)).isCloseTo(0.36, within(16 * U));
    assertThat(schedule.beta(2)).isCloseTo(0.64, within(16 * U));
    assertThat(schedule.beta(3)).isEqualTo(1.0);
    assertThat(schedule.alphaBar(2)).isCloseTo(0.2304, within(16 * U));
    assertThat(schedule.alphaBar(3)).isZero();
  }

  /**
   * On the linear T = 1000 schedule: ᾱ'_T = 0, β'_T = 1, 1 − ᾱ'_T = 1, SNR 0, log SNR −∞ exactly;
   * ᾱ'_1 = ᾱ_1 (the rescaling fixes it; its √ goes through a product and a quotient that cancel
   * in exact arithmetic: ≤ 8u relative); and every ᾱ'_t matches the 50-digit rescaling of the
   * 50-digit ᾱ_t. That last bound is absolute: the rescaled √ᾱ' is a difference √ᾱ_t − √ᾱ_T of
   * values within (2t + 2)u of the truth, times a factor near 1 (≤ 4u more), squared; the product
   * of the 1 − β' then re-telescopes it (2t roundings): ≤ (6t + 16)u.
   */
  @Test
  void zeroTerminalSnrOnTheLinearSchedule() {
    NoiseSchedule original = Schedules.linear(T);
    NoiseSchedule schedule = Schedules.zeroTerminalSnr(original);
    assertThat(schedule.alphaBar(T)).isZero();
    assertThat(schedule.beta(T)).isEqualTo(1.0);
    assertThat(schedule.oneMinusAlphaBar(T)).isEqualTo(1.0);
    assertThat(schedule.snr(T)).isZero();
    assertThat(schedule.logSnr(T)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(schedule.logAlphaBar(T)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(relativeError(schedule.alphaBar(1), of(original.alphaBar(1))))
        .isLessThanOrEqualTo(8 * U);

    Dfp[] alphaBar = new HighPrecision(original.betas()).alphaBars();
    Dfp sqrtFirst = alphaBar[1].sqrt();
    Dfp sqrtLast = alphaBar[T].sqrt();
    Dfp factor = sqrtFirst.divide(sqrtFirst.subtract(sqrtLast));
    for (int t = 1; t <= T; t++) {
      Dfp rescaled = alphaBar[t].sqrt().subtract(sqrtLast).multiply(factor);
      assertThat(absoluteError(schedule.alphaBar(t), rescaled.multiply(rescaled)))
          .as("alphaBar'_%d", t).isLessThanOrEqualTo((6.0 * t + 16) * U);
    }
  }

  @Test
  void zeroTerminalSnrNeedsTwoSteps() {
    assertThatThrownBy(() -> Schedules.zeroTerminalSnr(Schedules.fromBetas(0.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("T must be at least 2 to rescale to zero terminal SNR, got 1");
  }

  // ---- validation ----

  @Test
  void badParametersAreRejectedNamingThemAndTheirValue() {
    assertThatThrownBy(() -> Schedules.linear(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("T must be at least 1, got 0");
    assertThatThrownBy(() -> Schedules.cosine(-3))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("T must be at least 1, got -3");
    assertThatThrownBy(() -> Schedules.linear(10, Double.NaN, 0.02, LinearEndpoints.FIXED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("betaStart must be in (0.0, 1.0], got NaN");
    assertThatThrownBy(() -> Schedules.scaledLinear(10, 0.0, 0.012))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("betaStart must be in (0.0, 1.0], got 0.0");
    assertThatThrownBy(() -> Schedules.sigmoid(10, 1e-4, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("betaEnd must be in (0.0, 1.0], got 1.5");
    assertThatThrownBy(() -> Schedules.cosine(10, 1.0, 0.999))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s must be in [0.0, 0.9999999999999999], got 1.0");
    assertThatThrownBy(() -> Schedules.cosine(10, Double.NaN, 0.999))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s must be in [0.0, 0.9999999999999999], got NaN");
    assertThatThrownBy(() -> Schedules.cosine(10, 0.008, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBeta must be in (0.0, 1.0], got Infinity");
  }
}
