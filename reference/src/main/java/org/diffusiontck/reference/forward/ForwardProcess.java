package org.diffusiontck.reference.forward;

import org.diffusiontck.reference.DiagonalGaussian;
import org.diffusiontck.reference.PerSample;
import org.diffusiontck.reference.Require;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward (noising) process q of Ho et al. 2020, on a given schedule.
 *
 * <p>Derivation: {@code spec/derivations/forward.md} §2, §3.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class ForwardProcess {
  private final NoiseSchedule schedule;

  public ForwardProcess(NoiseSchedule schedule) {
    this.schedule = schedule;
  }

  public NoiseSchedule schedule() {
    return schedule;
  }

  /** q(x_t | x_{t−1}) = N(√α_t x_{t−1}, β_t I) (Ho et al. 2020, eq. 2), t ≥ 1. */
  public DiagonalGaussian step(INDArray xPrev, int[] t) {
    checkSteps(xPrev, t, 1);
    double[] sqrtAlpha = PerSample.coefficient(t, s -> Math.sqrt(schedule.alpha(s)));
    double[] beta = PerSample.coefficient(t, schedule::beta);
    return new DiagonalGaussian(PerSample.scale(sqrtAlpha, xPrev), PerSample.fill(beta, xPrev));
  }

  /** q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I) (Ho et al. 2020, eq. 4). */
  public DiagonalGaussian marginal(INDArray x0, int[] t) {
    checkSteps(x0, t, 0);
    double[] sqrtAlphaBar = PerSample.coefficient(t, s -> Math.sqrt(schedule.alphaBar(s)));
    double[] variance = PerSample.coefficient(t, schedule::oneMinusAlphaBar);
    return new DiagonalGaussian(PerSample.scale(sqrtAlphaBar, x0), PerSample.fill(variance, x0));
  }

  /**
   * x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, the reparameterized sample of q(x_t | x_0) for explicit noise
   * ε ~ N(0, I) (Ho et al. 2020, §3.2, below eq. 8).
   */
  public INDArray sample(INDArray x0, int[] t, INDArray eps) {
    checkSteps(x0, t, 0);
    Require.sameShape("x0", x0, "eps", eps);
    double[] sqrtAlphaBar = PerSample.coefficient(t, s -> Math.sqrt(schedule.alphaBar(s)));
    double[] sqrtOneMinusAlphaBar =
        PerSample.coefficient(t, s -> Math.sqrt(schedule.oneMinusAlphaBar(s)));
    return PerSample.combine(sqrtAlphaBar, x0, sqrtOneMinusAlphaBar, eps);
  }

  /**
   * q(x_t | x_s) = N(√(ᾱ_t/ᾱ_s) x_s, (1 − ᾱ_t/ᾱ_s) I) for 0 ≤ s &lt; t (Kingma et al. 2021's
   * q(z_t | z_s), whose α_{t|s} is the square root of our ratio α_{t|s} = ᾱ_t/ᾱ_s).
   */
  public DiagonalGaussian transition(INDArray xs, int[] s, int[] t) {
    checkPairs(xs, s, t);
    double[] sqrtAlphaTS = new double[t.length];
    double[] betaTS = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      sqrtAlphaTS[b] = Math.sqrt(alphaBarRatio(t[b], s[b]));
      betaTS[b] = betaBetween(t[b], s[b]);
    }
    return new DiagonalGaussian(PerSample.scale(sqrtAlphaTS, xs), PerSample.fill(betaTS, xs));
  }

  /**
   * α_{t|s} = ᾱ_t / ᾱ_s, the signal variance kept from s to t (the square of Kingma et al. 2021's
   * α_{t|s}; for s = t − 1 it is α_t).
   */
  public double alphaBarRatio(int t, int s) {
    Require.timestep("t", t, schedule.T());
    Require.earlier("s", s, "t", t);
    return schedule.alphaBar(t) / schedule.alphaBar(s);
  }

  /**
   * β_{t|s} = 1 − ᾱ_t/ᾱ_s = 1 − ∏_{k=s+1}^{t} α_k, the variance of q(x_t | x_s); β_t itself when
   * s = t − 1. Computed as −expm1(Σ_{k=s+1}^{t} log1p(−β_k)), which keeps full relative precision
   * when the β's between s and t are small (the difference log ᾱ_t − log ᾱ_s of the running sums
   * would cancel their rounding errors into hundreds of ulps).
   */
  public double betaBetween(int t, int s) {
    Require.timestep("t", t, schedule.T());
    Require.earlier("s", s, "t", t);
    if (s == t - 1) {
      return schedule.beta(t);
    }
    double logAlphaTS = 0.0;
    for (int k = s + 1; k <= t; k++) {
      logAlphaTS += Math.log1p(-schedule.beta(k));
    }
    return -Math.expm1(logAlphaTS);
  }

  private void checkSteps(INDArray x, int[] t, int minT) {
    Require.onePerSample("t", t, "x", x);
    for (int tb : t) {
      Require.timestep("t", tb, schedule.T());
      Require.atLeast("t", tb, minT);
    }
  }

  private void checkPairs(INDArray x, int[] s, int[] t) {
    Require.onePerSample("t", t, "x", x);
    Require.onePerSample("s", s, "x", x);
    for (int b = 0; b < t.length; b++) {
      Require.timestep("t", t[b], schedule.T());
      Require.earlier("s", s[b], "t", t[b]);
    }
  }
}
