package org.diffusiontck.reference.sampling;

import java.util.Arrays;
import org.diffusiontck.reference.DiagonalGaussian;
import org.diffusiontck.reference.PerSample;
import org.diffusiontck.reference.Require;
import org.diffusiontck.reference.forward.ForwardProcess;
import org.diffusiontck.reference.param.Parameterization;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.posterior.Posterior;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.ReverseVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One ancestral (DDPM) step t → s, s the next selected timestep (0 after the last), given the
 * model output (Ho et al. 2020, Algorithm 2, line 4, in its posterior form):
 *
 * <pre>
 *   x̂_0 = the prediction converted to x_0, then clipped    (Ho et al. 2020, eq. 15)
 *   x_s = μ̃(x_t, x̂_0) + σ z,  z ~ N(0, I);  no noise on the step that lands on s = 0
 * </pre>
 *
 * with μ̃ the posterior mean of q(x_s | x_t, x_0) (eq. 7; for s &lt; t − 1, Kingma et al. 2021's
 * q(z_s | z_t, x), which uses β_{t|s} = 1 − ᾱ_t/ᾱ_s, never β_t). For ε-prediction without clipping and with
 * a fixed variance, {@link #step} is Algorithm 2's line 4 itself, (x_t − β_{t|s}/√(1 − ᾱ_t) ε_θ)/
 * √α_{t|s} + σ z, the same mean with x̂_0 substituted.
 *
 * <p>The variance σ² is {@link ReverseVariance} applied to the <em>respaced</em> schedule over the
 * selected timesteps u_1 &lt; … &lt; u_N: β'_j = 1 − ᾱ_{u_j}/ᾱ_{u_{j−1}} (u_0 = 0), as
 * improved-diffusion's {@code respace.py} builds it; the step from u_j uses index j there, so that
 * FIXED_SMALL gives β̃_{t|s}, FIXED_LARGE β_{t|s}, and the t = 1 convention applies at j = 1. With
 * every timestep selected the respaced schedule is the schedule itself.
 *
 * <p>Derivation: {@code spec/derivations/ddpm.md} §1, §2.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class DdpmStep {
  private final NoiseSchedule schedule;
  private final Timesteps timesteps;
  private final ForwardProcess forward;
  private final Posterior posterior;
  private final Parameterization parameterization;
  private final NoiseSchedule respaced;
  private final ReverseVariance variance;
  private final X0Clipping clipping;

  public DdpmStep(
      NoiseSchedule schedule,
      Timesteps timesteps,
      VarianceChoice choice,
      T1LogVariance t1,
      X0Clipping clipping) {
    if (schedule == null || timesteps == null || clipping == null) {
      throw new IllegalArgumentException(
          "schedule, timesteps and clipping must not be null, got " + schedule + ", " + timesteps
              + " and " + clipping);
    }
    if (timesteps.T() != schedule.T()) {
      throw new IllegalArgumentException(
          "timesteps must be drawn from the schedule's T = " + schedule.T() + ", got T = "
              + timesteps.T());
    }
    this.schedule = schedule;
    this.timesteps = timesteps;
    this.forward = new ForwardProcess(schedule);
    this.posterior = new Posterior(schedule);
    this.parameterization = new Parameterization(schedule);
    this.respaced = respace(schedule, timesteps);
    this.variance = new ReverseVariance(respaced, choice, t1);
    this.clipping = clipping;
  }

  /**
   * The respaced schedule β'_j = 1 − ᾱ_{u_j}/ᾱ_{u_{j−1}} = β_{u_j|u_{j−1}} over the selected
   * timesteps in increasing order, u_0 = 0 (improved-diffusion, {@code SpacedDiffusion}).
   */
  public static NoiseSchedule respace(NoiseSchedule schedule, Timesteps timesteps) {
    ForwardProcess forward = new ForwardProcess(schedule);
    int n = timesteps.size();
    double[] betas = new double[n];
    int below = 0;
    for (int j = 1; j <= n; j++) {
      int u = timesteps.get(n - j);
      betas[j - 1] = forward.betaBetween(u, below);
      below = u;
    }
    return new NoiseSchedule(betas);
  }

  public Timesteps timesteps() {
    return timesteps;
  }

  public VarianceChoice choice() {
    return variance.choice();
  }

  /** The respaced schedule the variances come from. */
  public NoiseSchedule respaced() {
    return respaced;
  }

  /** s, where the step from the selected timestep t lands: the next selected one, or 0. */
  public int previous(int t) {
    return timesteps.previous(timesteps.indexOf(t), PreviousTimestep.NEXT_SELECTED);
  }

  /**
   * σ² of the step from the selected timestep t under a fixed variance choice: exp of {@link
   * ReverseVariance#fixedLogVariance} at t's index in the respaced schedule. {@link #step} adds σ z
   * on every step except the one to s = 0.
   *
   * @throws IllegalArgumentException if t is not selected, or for a learned choice
   */
  public double fixedVariance(int t) {
    return Math.exp(variance.fixedLogVariance(respacedIndex(t)));
  }

  /** x̂_0 from the model output (Ho et al. 2020, eq. 15; Salimans &amp; Ho 2022 for v), clipped. */
  public INDArray predictedX0(Prediction prediction, INDArray xt, int[] t, INDArray modelOutput) {
    check(prediction, xt, t, modelOutput);
    return clipping.applyInPlace(prediction.toX0(parameterization, xt, t, modelOutput));
  }

  /** μ_θ(x_t, t) = μ̃(x_t, x̂_0), the posterior mean toward s (Ho et al. 2020, eq. 7). */
  public INDArray mean(Prediction prediction, INDArray xt, int[] t, INDArray modelOutput) {
    INDArray x0 = predictedX0(prediction, xt, t, modelOutput);
    return posterior.mean(xt, x0, t, previous(t));
  }

  /**
   * log σ² per coordinate: the {@link ReverseVariance} of the respaced schedule at the index of t;
   * {@code modelVariance} is the model's variance output for learned choices (ignored, may be
   * null, for fixed ones).
   */
  public INDArray logVariance(INDArray xt, int[] t, INDArray modelVariance) {
    Require.onePerSample("t", t, "xt", xt);
    int[] j = new int[t.length];
    for (int b = 0; b < t.length; b++) {
      j[b] = respacedIndex(t[b]);
    }
    return variance.logVariance(xt, j, modelVariance);
  }

  /**
   * p_θ(x_s | x_t) = N(μ̃(x_t, x̂_0), σ² I) (Ho et al. 2020, eq. 1). On a step to s = 0 the
   * variance is the convention's value, though {@link #step} adds no noise there.
   */
  public DiagonalGaussian distribution(
      Prediction prediction, INDArray xt, int[] t, INDArray modelOutput, INDArray modelVariance) {
    INDArray mean = mean(prediction, xt, t, modelOutput);
    return new DiagonalGaussian(mean, Transforms.exp(logVariance(xt, t, modelVariance), false));
  }

  /**
   * x_s = μ̃(x_t, x̂_0) + σ z for explicit standard-normal {@code noise} z of x_t's shape (Ho et
   * al. 2020, Algorithm 2, line 4); x_s = μ̃ for batch elements whose s is 0 (line 3: z = 0 when
   * t = 1), where {@code noise} is ignored.
   */
  public INDArray step(
      Prediction prediction,
      INDArray xt,
      int[] t,
      INDArray modelOutput,
      INDArray modelVariance,
      INDArray noise) {
    Require.sameShape("xt", xt, "noise", noise);
    if (algorithmTwoApplies(prediction, t)) {
      return algorithmTwo(xt, t, modelOutput, noise);
    }
    INDArray x0 = predictedX0(prediction, xt, t, modelOutput);
    int[] s = previous(t);
    // μ̃ = cX0 x̂_0 + cXt x_t (eq. 7) and σ z are summed in one pass, σ z only where s > 0.
    double[] cX0 = new double[t.length];
    double[] cXt = new double[t.length];
    double[] noisy = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      cX0[b] = posterior.meanCoefX0(t[b], s[b]);
      cXt[b] = posterior.meanCoefXt(t[b], s[b]);
      noisy[b] = s[b] > 0 ? 1.0 : 0.0;
    }
    INDArray xs;
    if (Arrays.stream(noisy).allMatch(m -> m == 0.0)) {
      xs = PerSample.combine(cX0, x0, cXt, xt);
    } else if (variance.choice().learned()) {
      INDArray sigma = Transforms.exp(logVariance(xt, t, modelVariance).muli(0.5), false);
      xs = PerSample.combine(cX0, x0, cXt, xt, noisy, sigma.muli(noise));
    } else {
      double[] sigma = new double[t.length];
      for (int b = 0; b < t.length; b++) {
        sigma[b] = noisy[b] * Math.exp(0.5 * variance.fixedLogVariance(respacedIndex(t[b])));
      }
      xs = PerSample.combine(cX0, x0, cXt, xt, sigma, noise);
    }
    // x̂_0 is this step's own array: its off-heap buffer is freed now, not when the collector
    // finds it dead.
    if (x0.closeable()) {
      x0.close();
    }
    return xs;
  }

  /** s for each batch element's t ({@link #previous(int)}). */
  private int[] previous(int[] t) {
    int[] s = new int[t.length];
    for (int b = 0; b < t.length; b++) {
      s[b] = previous(t[b]);
    }
    return s;
  }

  /** j, the index of the selected timestep t in the respaced schedule: N for t_1, …, 1 for t_N. */
  private int respacedIndex(int t) {
    return timesteps.size() - timesteps.indexOf(t);
  }

  /**
   * Algorithm 2 of Ho et al. 2020, line 4, as written: x_s = (x_t − β_{t|s}/√(1 − ᾱ_t) ε_θ)/√α_{t|s}
   * + σ z, with α_{t|s} = ᾱ_t/ᾱ_s and β_{t|s} = 1 − α_{t|s} (α_t and β_t for s = t − 1), and no
   * noise where s = 0. It is μ̃(x_t, x̂_0) of {@link #mean} with x̂_0 = (x_t − √(1 − ᾱ_t) ε_θ)/√ᾱ_t
   * substituted (the x_t coefficient collects to 1/√α_{t|s}, the ε_θ one to −β_{t|s}/(√α_{t|s}
   * √(1 − ᾱ_t))), formed in one pass without storing x̂_0.
   */
  private INDArray algorithmTwo(INDArray xt, int[] t, INDArray eps, INDArray noise) {
    check(Prediction.EPSILON, xt, t, eps);
    double[] a = new double[t.length];
    double[] c = new double[t.length];
    double[] sigma = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      int s = previous(t[b]);
      double sqrtAlpha = Math.sqrt(forward.alphaBarRatio(t[b], s));
      a[b] = 1.0 / sqrtAlpha;
      c[b] = -forward.betaBetween(t[b], s)
          / (sqrtAlpha * Math.sqrt(schedule.oneMinusAlphaBar(t[b])));
      sigma[b] = s > 0 ? Math.exp(0.5 * variance.fixedLogVariance(respacedIndex(t[b]))) : 0.0;
    }
    return PerSample.combine(a, xt, c, eps, sigma, noise);
  }

  /**
   * Whether {@link #algorithmTwo} is the step: ε-prediction, x̂_0 not clipped (clipping acts on
   * x̂_0, which Algorithm 2 never forms), a fixed variance, and ᾱ_t &gt; 0 (at ᾱ_t = 0 ε-prediction
   * is undefined: the x̂_0 route raises the error naming t).
   */
  private boolean algorithmTwoApplies(Prediction prediction, int[] t) {
    if (prediction != Prediction.EPSILON || clipping.active() || variance.choice().learned()) {
      return false;
    }
    for (int tb : t) {
      if (!(tb >= 1 && tb <= schedule.T() && schedule.alphaBar(tb) > 0)) {
        return false;
      }
    }
    return true;
  }

  private void check(Prediction prediction, INDArray xt, int[] t, INDArray modelOutput) {
    if (prediction == null) {
      throw new IllegalArgumentException("prediction must not be null");
    }
    Require.sameShape("xt", xt, "modelOutput", modelOutput);
    Require.onePerSample("t", t, "xt", xt);
    for (int tb : t) {
      Require.timestep("t", tb, schedule.T());
      timesteps.indexOf(tb);
    }
  }
}
