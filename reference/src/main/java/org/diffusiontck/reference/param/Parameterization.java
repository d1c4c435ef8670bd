package org.diffusiontck.reference.param;

import org.diffusiontck.reference.PerSample;
import org.diffusiontck.reference.Require;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The four ways to say what a network predicts — ε, x_0, v and the score — and every conversion
 * between them, given x_t and t. All follow from x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε (Ho et al. 2020,
 * eq. 4).
 *
 * <p>Where a conversion divides by √ᾱ_t it is undefined at ᾱ_t = 0 (t = T under zero terminal
 * SNR), and where it divides by √(1 − ᾱ_t) it is undefined at t = 0: both raise an {@link
 * IllegalArgumentException} naming t, never an ∞ or NaN ({@code spec/CONVENTIONS.md}, "Zero
 * terminal SNR").
 *
 * <p>Derivation: {@code spec/derivations/parameterizations.md} §1–§3, §4.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class Parameterization {
  private final NoiseSchedule schedule;

  public Parameterization(NoiseSchedule schedule) {
    this.schedule = schedule;
  }

  /** x̂_0 = (x_t − √(1 − ᾱ_t) ε) / √ᾱ_t (Ho et al. 2020, eq. 15). */
  public INDArray x0FromEps(INDArray xt, int[] t, INDArray eps) {
    check(xt, t, "eps", eps);
    double[] invSqrtAlphaBar = coef(t, s -> 1.0 / sqrtAlphaBar(s, "eps -> x0"));
    double[] ratio =
        coef(t, s -> -Math.sqrt(schedule.oneMinusAlphaBar(s)) / sqrtAlphaBar(s, "eps -> x0"));
    return PerSample.combine(invSqrtAlphaBar, xt, ratio, eps);
  }

  /** ε = (x_t − √ᾱ_t x_0) / √(1 − ᾱ_t), eq. 4 solved for ε. */
  public INDArray epsFromX0(INDArray xt, int[] t, INDArray x0) {
    check(xt, t, "x0", x0);
    double[] invSigma = coef(t, s -> 1.0 / sigma(s, "x0 -> eps"));
    double[] ratio = coef(t, s -> -Math.sqrt(schedule.alphaBar(s)) / sigma(s, "x0 -> eps"));
    return PerSample.combine(invSigma, xt, ratio, x0);
  }

  /** v = √ᾱ_t ε − √(1 − ᾱ_t) x_0 (Salimans &amp; Ho 2022, §4 and Appendix D). */
  public INDArray vFromEpsAndX0(int[] t, INDArray eps, INDArray x0) {
    check(eps, t, "x0", x0);
    return PerSample.combine(
        coef(t, s -> Math.sqrt(schedule.alphaBar(s))), eps,
        coef(t, s -> -Math.sqrt(schedule.oneMinusAlphaBar(s))), x0);
  }

  /** x̂_0 = √ᾱ_t x_t − √(1 − ᾱ_t) v (Salimans &amp; Ho 2022, Appendix D). */
  public INDArray x0FromV(INDArray xt, int[] t, INDArray v) {
    check(xt, t, "v", v);
    return PerSample.combine(
        coef(t, s -> Math.sqrt(schedule.alphaBar(s))), xt,
        coef(t, s -> -Math.sqrt(schedule.oneMinusAlphaBar(s))), v);
  }

  /** ε̂ = √(1 − ᾱ_t) x_t + √ᾱ_t v (Salimans &amp; Ho 2022, Appendix D). */
  public INDArray epsFromV(INDArray xt, int[] t, INDArray v) {
    check(xt, t, "v", v);
    return PerSample.combine(
        coef(t, s -> Math.sqrt(schedule.oneMinusAlphaBar(s))), xt,
        coef(t, s -> Math.sqrt(schedule.alphaBar(s))), v);
  }

  /** v = (√ᾱ_t x_t − x_0) / √(1 − ᾱ_t): x0FromV solved for v. */
  public INDArray vFromX0(INDArray xt, int[] t, INDArray x0) {
    check(xt, t, "x0", x0);
    return PerSample.combine(
        coef(t, s -> Math.sqrt(schedule.alphaBar(s)) / sigma(s, "x0 -> v")), xt,
        coef(t, s -> -1.0 / sigma(s, "x0 -> v")), x0);
  }

  /** v = (ε − √(1 − ᾱ_t) x_t) / √ᾱ_t: epsFromV solved for v. */
  public INDArray vFromEps(INDArray xt, int[] t, INDArray eps) {
    check(xt, t, "eps", eps);
    return PerSample.combine(
        coef(t, s -> -Math.sqrt(schedule.oneMinusAlphaBar(s)) / sqrtAlphaBar(s, "eps -> v")), xt,
        coef(t, s -> 1.0 / sqrtAlphaBar(s, "eps -> v")), eps);
  }

  /**
   * The score ∇_{x_t} log q(x_t | x_0) = −ε / √(1 − ᾱ_t) (Song et al. 2021b, §3.3; Vincent 2011).
   */
  public INDArray scoreFromEps(INDArray xt, int[] t, INDArray eps) {
    check(xt, t, "eps", eps);
    return PerSample.scale(coef(t, s -> -1.0 / sigma(s, "eps -> score")), eps);
  }

  /** ε = −√(1 − ᾱ_t) · score, the inverse of {@link #scoreFromEps}. */
  public INDArray epsFromScore(INDArray xt, int[] t, INDArray score) {
    check(xt, t, "score", score);
    return PerSample.scale(coef(t, s -> -Math.sqrt(schedule.oneMinusAlphaBar(s))), score);
  }

  private double sqrtAlphaBar(int t, String conversion) {
    double a = schedule.alphaBar(t);
    if (a == 0.0) {
      throw new IllegalArgumentException(
          "conversion " + conversion + " divides by sqrt(alphaBar_t), which is 0 at t = " + t
              + " (zero terminal SNR); use v- or x0-prediction there");
    }
    return Math.sqrt(a);
  }

  private double sigma(int t, String conversion) {
    double v = schedule.oneMinusAlphaBar(t);
    if (v == 0.0) {
      throw new IllegalArgumentException(
          "conversion " + conversion + " divides by sqrt(1 - alphaBar_t), which is 0 at t = " + t);
    }
    return Math.sqrt(v);
  }

  private static double[] coef(int[] t, java.util.function.IntToDoubleFunction c) {
    return PerSample.coefficient(t, c);
  }

  private void check(INDArray x, int[] t, String yName, INDArray y) {
    Require.sameShape("xt", x, yName, y);
    Require.onePerSample("t", t, "xt", x);
    for (int tb : t) {
      Require.timestep("t", tb, schedule.T());
    }
  }
}
