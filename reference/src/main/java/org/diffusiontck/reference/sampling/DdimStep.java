package org.diffusiontck.reference.sampling;

import org.diffusiontck.reference.PerSample;
import org.diffusiontck.reference.Require;
import org.diffusiontck.reference.forward.ForwardProcess;
import org.diffusiontck.reference.param.Parameterization;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One DDIM step t → s (s &lt; t) and its inversion s → t (Song et al. 2021, eqs. 12 and 16, the
 * paper's α_t being our ᾱ_t):
 *
 * <pre>
 *   x_s = √ᾱ_s x̂_0 + √(1 − ᾱ_s − σ_t²) ε̂ + σ_t z                         (eq. 12)
 *   σ_t(η) = η √((1 − ᾱ_s)/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_s),  η ∈ [0, 1]      (eq. 16)
 * </pre>
 *
 * with x̂_0 the model's prediction of x_0 after {@link X0Clipping} and ε̂ per {@link DdimEpsilon}.
 * A step to s = 0 lands on the ᾱ that {@link FinalAlphaBar} names: ᾱ_0 = 1, or ᾱ_1, in which case
 * it is computed as a step to t = 1 (the "landing" timestep e(0) = 1).
 *
 * <p>Precision: σ² and the direction variance are formed from r = β_{t|s}/(1 − ᾱ_t) as σ² = η² (1 −
 * ᾱ_s) r and 1 − ᾱ_s − σ² = (1 − ᾱ_s)((1 − η²) + η² (1 − r)), 1 − r = ᾱ_t (1 − ᾱ_s)/(ᾱ_s (1 −
 * ᾱ_t)), with β_{t|s} and 1 − ᾱ to full relative precision,
 * so the direction variance is never negative through cancellation.
 *
 * <p>Derivation: {@code spec/derivations/ddim.md} §1–§3, §5, §6–§7, §9.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class DdimStep {
  private final NoiseSchedule schedule;
  private final ForwardProcess forward;
  private final Parameterization parameterization;
  private final double eta;
  private final DdimEpsilon epsilon;
  private final FinalAlphaBar finalAlphaBar;
  private final X0Clipping clipping;

  /**
   * @param eta η ∈ [0, 1]: 0 is deterministic DDIM, 1 gives the DDPM posterior variance
   * @throws IllegalArgumentException if η is outside [0, 1] or an option is null
   */
  public DdimStep(
      NoiseSchedule schedule,
      double eta,
      DdimEpsilon epsilon,
      FinalAlphaBar finalAlphaBar,
      X0Clipping clipping) {
    if (schedule == null || epsilon == null || finalAlphaBar == null || clipping == null) {
      throw new IllegalArgumentException(
          "schedule, epsilon, finalAlphaBar and clipping must not be null, got " + schedule + ", "
              + epsilon + ", " + finalAlphaBar + " and " + clipping);
    }
    this.schedule = schedule;
    this.forward = new ForwardProcess(schedule);
    this.parameterization = new Parameterization(schedule);
    this.eta = Require.inClosed("eta", eta, 0.0, 1.0);
    this.epsilon = epsilon;
    this.finalAlphaBar = finalAlphaBar;
    this.clipping = clipping;
  }

  /** Deterministic DDIM (η = 0) with the default options. */
  public static DdimStep deterministic(NoiseSchedule schedule) {
    return new DdimStep(schedule, 0.0, DdimEpsilon.MODEL, FinalAlphaBar.ONE, X0Clipping.NONE);
  }

  public NoiseSchedule schedule() {
    return schedule;
  }

  public double eta() {
    return eta;
  }

  /**
   * e(s), the timestep whose ᾱ a step to s lands on: s itself for s ≥ 1; for s = 0, 0 under {@link
   * FinalAlphaBar#ONE} and 1 under {@link FinalAlphaBar#FIRST_SELECTED}.
   */
  public int landing(int s) {
    Require.timestep("s", s, schedule.T());
    return s > 0 || finalAlphaBar == FinalAlphaBar.ONE ? s : 1;
  }

  /** ᾱ_{e(s)}, the ᾱ the step to s lands on ({@link FinalAlphaBar}). */
  public double alphaBarTarget(int s) {
    return schedule.alphaBar(landing(s));
  }

  /** σ_t(η) = η √((1 − ᾱ_s)/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_s) (Song et al. 2021, eq. 16), s landing. */
  public double sigma(int t, int s) {
    return Math.sqrt(sigmaSquared(t, s));
  }

  /** σ_t(η)² = η² (1 − ᾱ_s) r with r = β_{t|s}/(1 − ᾱ_t) (eq. 16 squared). */
  public double sigmaSquared(int t, int s) {
    int e = landing(checkPair(t, s));
    return eta * eta * schedule.oneMinusAlphaBar(e) * ratio(t, e);
  }

  /**
   * √(1 − ᾱ_s − σ_t²), the coefficient of ε̂ (eq. 12, "direction"), as √((1 − ᾱ_s)((1 − η²) +
   * η² (1 − r))) with 1 − r = ᾱ_t (1 − ᾱ_s) / (ᾱ_s (1 − ᾱ_t)): no cancellation even when r is
   * near 1 (a long step at η = 1).
   */
  public double directionCoefficient(int t, int s) {
    int e = landing(checkPair(t, s));
    double oneMinusR = schedule.alphaBar(t) * schedule.oneMinusAlphaBar(e)
        / (schedule.alphaBar(e) * schedule.oneMinusAlphaBar(t));
    return Math.sqrt(schedule.oneMinusAlphaBar(e) * ((1.0 - eta * eta) + eta * eta * oneMinusR));
  }

  /**
   * x̂_0 at x_t, "predicted x_0" of eq. 12 ((x_t − √(1 − ᾱ_t) ε̂)/√ᾱ_t for ε-prediction), after the
   * clipping option; t may be 0 (inversion from the data under {@link FinalAlphaBar#ONE}).
   */
  public INDArray predictedX0(Prediction prediction, INDArray xt, int[] t, INDArray modelOutput) {
    check(prediction, xt, t, modelOutput);
    return clipping.applyInPlace(prediction.toX0(parameterization, xt, t, modelOutput));
  }

  /**
   * ε̂ of eq. 12's direction term: converted from the model output ({@link DdimEpsilon#MODEL}), or
   * (x_t − √ᾱ_t x̂_0)/√(1 − ᾱ_t) from the clipped {@code x0} ({@link
   * DdimEpsilon#RECOMPUTED_FROM_CLIPPED_X0}).
   */
  public INDArray predictedEps(
      Prediction prediction, INDArray xt, int[] t, INDArray modelOutput, INDArray x0) {
    check(prediction, xt, t, modelOutput);
    return switch (epsilon) {
      case MODEL -> prediction.toEps(parameterization, xt, t, modelOutput);
      case RECOMPUTED_FROM_CLIPPED_X0 -> parameterization.epsFromX0(xt, t, x0);
    };
  }

  /**
   * {@link #predictedEps} for reading only: the model output itself where it is ε̂ already
   * (ε-prediction, {@link DdimEpsilon#MODEL}), which saves the copy predictedEps hands out.
   */
  private INDArray epsToRead(
      Prediction prediction, INDArray xt, int[] t, INDArray modelOutput, INDArray x0) {
    if (prediction == Prediction.EPSILON && epsilon == DdimEpsilon.MODEL) {
      return modelOutput;
    }
    return predictedEps(prediction, xt, t, modelOutput, x0);
  }

  /**
   * x_s = √ᾱ_s x̂_0 + √(1 − ᾱ_s − σ_t²) ε̂ + σ_t z (Song et al. 2021, eq. 12), per batch element,
   * for explicit standard-normal {@code noise} z of x_t's shape (unused where σ_t = 0).
   */
  public INDArray step(
      Prediction prediction, INDArray xt, int[] t, int[] s, INDArray modelOutput, INDArray noise) {
    Require.sameShape("xt", xt, "noise", noise);
    Require.onePerSample("s", s, "xt", xt);
    INDArray x0 = predictedX0(prediction, xt, t, modelOutput);
    INDArray eps = epsToRead(prediction, xt, t, modelOutput, x0);
    double[] sqrtAlphaBarS = new double[t.length];
    double[] direction = new double[t.length];
    double[] sigma = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      sqrtAlphaBarS[b] = Math.sqrt(alphaBarTarget(checkPair(t[b], s[b])));
      direction[b] = directionCoefficient(t[b], s[b]);
      sigma[b] = sigma(t[b], s[b]);
    }
    INDArray xs = PerSample.combine(sqrtAlphaBarS, x0, direction, eps, sigma, noise);
    free(x0);
    return xs;
  }

  /**
   * DDIM inversion x_s → x_t for s &lt; t: eq. 12 with σ = 0 read from s to t, x_t = √ᾱ_t x̂_0 +
   * √(1 − ᾱ_t) ε̂ (the deterministic map of Song et al. 2021, §4.3, run forward in time), where
   * x̂_0 and ε̂ are formed from x_s and the model output exactly as in {@link #step}, at the
   * landing timestep e(s). The model output was computed on x_s at {@link #inversionModelTime}.
   */
  public INDArray invert(
      Prediction prediction, INDArray xs, int[] s, int[] t, INDArray modelOutput) {
    Require.onePerSample("t", t, "xs", xs);
    Require.onePerSample("s", s, "xs", xs);
    int[] e = new int[s.length];
    double[] sqrtAlphaBarT = new double[t.length];
    double[] sqrtOneMinusAlphaBarT = new double[t.length];
    for (int b = 0; b < s.length; b++) {
      e[b] = landing(checkPair(t[b], s[b]));
      sqrtAlphaBarT[b] = Math.sqrt(schedule.alphaBar(t[b]));
      sqrtOneMinusAlphaBarT[b] = Math.sqrt(schedule.oneMinusAlphaBar(t[b]));
    }
    INDArray x0 = predictedX0(prediction, xs, e, modelOutput);
    INDArray eps = epsToRead(prediction, xs, e, modelOutput, x0);
    INDArray xt = PerSample.combine(sqrtAlphaBarT, x0, sqrtOneMinusAlphaBarT, eps);
    free(x0);
    return xt;
  }

  /**
   * The timestep at which inversion s → t evaluates the model: e(s) for {@link
   * InversionModelTime#SOURCE}, t for {@link InversionModelTime#TARGET}.
   *
   * @throws IllegalArgumentException for SOURCE from s = 0 under {@link FinalAlphaBar#ONE}: a model
   *     is not defined at t = 0
   */
  public int inversionModelTime(int s, int t, InversionModelTime which) {
    if (which == null) {
      throw new IllegalArgumentException("which must not be null");
    }
    int e = landing(checkPair(t, s));
    if (which == InversionModelTime.TARGET) {
      return t;
    }
    if (e == 0) {
      throw new IllegalArgumentException(
          "InversionModelTime.SOURCE evaluates the model at s = 0, where no model is defined; use"
              + " FinalAlphaBar.FIRST_SELECTED (the data taken at alphaBar_1) or"
              + " InversionModelTime.TARGET");
    }
    return e;
  }

  /**
   * Frees the off-heap buffer of the step's own x̂_0 now rather than when the collector finds it
   * dead (an array in an ND4J workspace is left to the workspace).
   */
  private static void free(INDArray x0) {
    if (x0.closeable()) {
      x0.close();
    }
  }

  /**
   * r = β_{t|e}/(1 − ᾱ_t), 0 when e = t. r ≤ 1 exactly since ᾱ_e ≤ 1; the min only removes a
   * last-bit rounding excess, so that 1 − η² r is never negative.
   */
  private double ratio(int t, int e) {
    if (e == t) {
      return 0.0;
    }
    return Math.min(forward.betaBetween(t, e) / schedule.oneMinusAlphaBar(t), 1.0);
  }

  private int checkPair(int t, int s) {
    Require.timestep("t", t, schedule.T());
    Require.atLeast("t", t, 1);
    Require.earlier("s", s, "t", t);
    return s;
  }

  private void check(Prediction prediction, INDArray xt, int[] t, INDArray modelOutput) {
    if (prediction == null) {
      throw new IllegalArgumentException("prediction must not be null");
    }
    Require.sameShape("xt", xt, "modelOutput", modelOutput);
    Require.onePerSample("t", t, "xt", xt);
  }
}
