package org.diffusiontck.reference.posterior;

import org.diffusiontck.reference.DiagonalGaussian;
import org.diffusiontck.reference.PerSample;
import org.diffusiontck.reference.Require;
import org.diffusiontck.reference.forward.ForwardProcess;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward-process posterior q(x_s | x_t, x_0) for 0 ≤ s &lt; t (Ho et al. 2020, eqs. 6–7 for
 * s = t − 1; Kingma et al. 2021's q(z_s | z_t, x) for any s &lt; t):
 *
 * <pre>
 *   μ̃(x_t, x_0) = √ᾱ_s β_{t|s} / (1 − ᾱ_t) · x_0 + √α_{t|s} (1 − ᾱ_s) / (1 − ᾱ_t) · x_t
 *   β̃_{t|s}     = (1 − ᾱ_s) / (1 − ᾱ_t) · β_{t|s}
 * </pre>
 *
 * with α_{t|s} = ᾱ_t/ᾱ_s and β_{t|s} = 1 − α_{t|s}; for s = t − 1 these are α_t and β_t.
 *
 * <p>Derivation: {@code spec/derivations/posterior.md} §1–§2, §6.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class Posterior {
  private final NoiseSchedule schedule;
  private final ForwardProcess forward;

  public Posterior(NoiseSchedule schedule) {
    this.schedule = schedule;
    this.forward = new ForwardProcess(schedule);
  }

  /** The coefficient of x_0 in μ̃: √ᾱ_s β_{t|s} / (1 − ᾱ_t) (Ho et al. 2020, eq. 7). */
  public double meanCoefX0(int t, int s) {
    checkPair(t, s);
    return Math.sqrt(schedule.alphaBar(s)) * forward.betaBetween(t, s)
        / schedule.oneMinusAlphaBar(t);
  }

  /** The coefficient of x_t in μ̃: √α_{t|s} (1 − ᾱ_s) / (1 − ᾱ_t) (Ho et al. 2020, eq. 7). */
  public double meanCoefXt(int t, int s) {
    checkPair(t, s);
    return Math.sqrt(forward.alphaBarRatio(t, s)) * schedule.oneMinusAlphaBar(s)
        / schedule.oneMinusAlphaBar(t);
  }

  /** β̃_{t|s} = (1 − ᾱ_s) / (1 − ᾱ_t) · β_{t|s} (Ho et al. 2020, eq. 7); 0 when s = 0. */
  public double variance(int t, int s) {
    checkPair(t, s);
    return schedule.oneMinusAlphaBar(s) / schedule.oneMinusAlphaBar(t) * forward.betaBetween(t, s);
  }

  /** β̃_t = β̃_{t|t−1} (Ho et al. 2020, eq. 7), for t = 1..T. */
  public double variance(int t) {
    Require.atLeast("t", t, 1);
    return variance(t, t - 1);
  }

  /**
   * The log-variance of the consecutive step t → t − 1: log β̃_t for t ≥ 2 under every convention
   * (for {@link T1LogVariance#CLAMP_1E_20}, log max(β̃_t, 1e-20)), and at t = 1, where β̃_1 = 0, the
   * value the convention names. A strided sampler applies the conventions to its respaced schedule.
   *
   * @throws IllegalArgumentException for {@link T1LogVariance#CLIP_TO_BETA_TILDE_2} when T = 1
   */
  public double logVariance(int t, T1LogVariance convention) {
    Require.timestep("t", t, schedule.T());
    Require.atLeast("t", t, 1);
    if (convention == null) {
      throw new IllegalArgumentException("convention must not be null");
    }
    if (t == 1 && convention == T1LogVariance.CLIP_TO_BETA_TILDE_2 && schedule.T() < 2) {
      throw new IllegalArgumentException(
          "convention CLIP_TO_BETA_TILDE_2 needs T >= 2, got T = " + schedule.T());
    }
    return switch (convention) {
      case CLAMP_1E_20 -> Math.log(Math.max(variance(t), T1LogVariance.CLAMP_FLOOR));
      case CLIP_TO_BETA_TILDE_2 -> Math.log(variance(t == 1 ? 2 : t));
      case BETA_1 -> t == 1 ? Math.log(schedule.beta(1)) : Math.log(variance(t));
    };
  }

  /** q(x_s | x_t, x_0) = N(μ̃(x_t, x_0), β̃_{t|s} I), per batch element. */
  public DiagonalGaussian distribution(INDArray xt, INDArray x0, int[] t, int[] s) {
    Require.sameShape("xt", xt, "x0", x0);
    Require.onePerSample("t", t, "xt", xt);
    Require.onePerSample("s", s, "xt", xt);
    double[] variance = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      variance[b] = variance(t[b], s[b]);
    }
    return new DiagonalGaussian(mean(xt, x0, t, s), PerSample.fill(variance, xt));
  }

  /** μ̃(x_t, x_0) of Ho et al. 2020, eq. 7, per batch element. */
  public INDArray mean(INDArray xt, INDArray x0, int[] t, int[] s) {
    Require.sameShape("xt", xt, "x0", x0);
    Require.onePerSample("t", t, "xt", xt);
    Require.onePerSample("s", s, "xt", xt);
    double[] cX0 = new double[t.length];
    double[] cXt = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      cX0[b] = meanCoefX0(t[b], s[b]);
      cXt[b] = meanCoefXt(t[b], s[b]);
    }
    return PerSample.combine(cX0, x0, cXt, xt);
  }

  /** Validates t and s before any table is read, so that an error names the right one. */
  private void checkPair(int t, int s) {
    Require.timestep("t", t, schedule.T());
    Require.earlier("s", s, "t", t);
  }
}
