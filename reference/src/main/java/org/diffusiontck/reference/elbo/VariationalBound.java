package org.diffusiontck.reference.elbo;

import java.util.Arrays;
import org.diffusiontck.reference.PerSample;
import org.diffusiontck.reference.Require;
import org.diffusiontck.reference.forward.ForwardProcess;
import org.diffusiontck.reference.param.Parameterization;
import org.diffusiontck.reference.posterior.Posterior;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.ReverseVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.diffusiontck.reference.sampling.VariancePredictor;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The variational bound on −log p_θ(x_0) of Ho et al. 2020, eq. 5, term by term, in nats per batch
 * element:
 *
 * <pre>
 *   L = KL(q(x_T | x_0) ‖ p(x_T))                                    L_T
 *     + Σ_{t=2}^{T} KL(q(x_{t−1} | x_t, x_0) ‖ p_θ(x_{t−1} | x_t))   L_{t−1}
 *     − log p_θ(x_0 | x_1)                                             L_0
 * </pre>
 *
 * with p(x_T) = N(0, I) and p_θ(x_{t−1} | x_t) = N(μ̃(x_t, x̂_0), σ_t² I): the posterior mean at the
 * model's x̂_0 (Ho et al. 2020, eqs. 7 and 11; Nichol &amp; Dhariwal 2021, §2) and σ_t² from the
 * {@link VarianceChoice} and its {@link T1LogVariance} convention, which matters only in L_0. The
 * decoder is the discretized Gaussian of eq. 13 ({@link DiscretizedGaussian}), so x_0 must be 8-bit
 * data scaled to [−1, 1].
 *
 * <p>Derivation: {@code spec/derivations/elbo.md} §2, §3, §4.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class VariationalBound {
  private final NoiseSchedule schedule;
  private final ForwardProcess forward;
  private final Posterior posterior;
  private final Parameterization parameterization;
  private final ReverseVariance reverseVariance;
  private final NormalCdf cdf;

  public VariationalBound(
      NoiseSchedule schedule, VarianceChoice choice, T1LogVariance t1, NormalCdf cdf) {
    if (cdf == null) {
      throw new IllegalArgumentException("cdf must not be null");
    }
    this.schedule = schedule;
    this.forward = new ForwardProcess(schedule);
    this.posterior = new Posterior(schedule);
    this.parameterization = new Parameterization(schedule);
    this.reverseVariance = new ReverseVariance(schedule, choice, t1);
    this.cdf = cdf;
  }

  /**
   * L_T = KL(q(x_T | x_0) ‖ N(0, I)) per batch element, with q(x_T | x_0) = N(√ᾱ_T x_0, (1 − ᾱ_T)
   * I) (Ho et al. 2020, eqs. 4 and 5). It is 0 exactly when ᾱ_T = 0 (zero terminal SNR).
   */
  public double[] priorTerm(INDArray x0) {
    Require.batched("x0", x0);
    int[] t = everySample(x0, schedule.T());
    INDArray mean = forward.marginal(x0, t).mean();
    INDArray logVariance = PerSample.fill(
        PerSample.coefficient(t, s -> Math.log(schedule.oneMinusAlphaBar(s))), x0);
    INDArray zero = Nd4j.zeros(x0.dataType(), x0.shape());
    return GaussianKl.perSample(mean, logVariance, zero, zero);
  }

  /**
   * L_{t−1} = KL(q(x_{t−1} | x_t, x_0) ‖ p_θ(x_{t−1} | x_t)) per batch element, t = 2..T (Ho et al.
   * 2020, eq. 5): q = N(μ̃(x_t, x_0), β̃_t I) and p_θ = N(μ̃(x_t, x̂_0), σ_t² I).
   *
   * @param x0Hat the model's x̂_0, from its output by {@link
   *     org.diffusiontck.reference.param.Prediction#toX0}
   * @param varianceOutput the model's variance output for a learned choice (see {@link
   *     VariancePredictor}); ignored, and may be null, for a fixed one
   */
  public double[] stepTerm(
      INDArray x0, INDArray xt, int[] t, INDArray x0Hat, INDArray varianceOutput) {
    Require.sameShape("x0", x0, "xt", xt);
    Require.sameShape("x0", x0, "x0Hat", x0Hat);
    Require.onePerSample("t", t, "xt", xt);
    for (int tb : t) {
      Require.timestep("t", tb, schedule.T());
      Require.atLeast("t (t = 1 is the decoder term L_0)", tb, 2);
    }
    int[] s = previous(t);
    INDArray logBetaTilde =
        PerSample.fill(PerSample.coefficient(t, tb -> Math.log(posterior.variance(tb))), xt);
    return GaussianKl.perSample(
        posterior.mean(xt, x0, t, s), logBetaTilde,
        posterior.mean(xt, x0Hat, t, s), reverseVariance.logVariance(xt, t, varianceOutput));
  }

  /**
   * L_0 = −log p_θ(x_0 | x_1) per batch element (Ho et al. 2020, eqs. 5 and 13): the discretized
   * Gaussian with mean μ̃(x_1, x̂_0) (= x̂_0, since μ̃'s coefficients at t = 1 are 1 and 0) and
   * variance σ_1² under the t = 1 convention, summed over coordinates.
   *
   * @param x0 8-bit data scaled to [−1, 1]
   * @param varianceOutput as for {@link #stepTerm}
   */
  public double[] decoderTerm(INDArray x0, INDArray x1, INDArray x0Hat, INDArray varianceOutput) {
    Require.sameShape("x0", x0, "x1", x1);
    Require.sameShape("x0", x0, "x0Hat", x0Hat);
    int[] t = everySample(x0, 1);
    INDArray mean = posterior.mean(x1, x0Hat, t, previous(t));
    INDArray logVariance = reverseVariance.logVariance(x1, t, varianceOutput);
    double[] nll = GaussianKl.sumPerSample(
        DiscretizedGaussian.logLikelihood(x0, mean, logVariance, cdf));
    for (int b = 0; b < nll.length; b++) {
      nll[b] = 0.0 - nll[b];
    }
    return nll;
  }

  /**
   * Every term of the bound for x_0, with x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε_t drawn from q(x_t | x_0)
   * by the explicit noise ε_t (Ho et al. 2020, eq. 4), the same t for the whole batch.
   *
   * @param x0 8-bit data scaled to [−1, 1], [B, …]
   * @param model the ε, x_0 or v output, converted to x̂_0 by its {@code prediction()}; for a
   *     learned variance choice a {@link VariancePredictor}, whose variance output is read as the
   *     choice says (for a fixed choice a variance output is not used)
   * @param eps T tensors of x_0's shape, {@code eps[t − 1]} = ε_t
   */
  public BoundTerms terms(INDArray x0, NoisePredictor model, INDArray[] eps) {
    Require.batched("x0", x0);
    if (model == null) {
      throw new IllegalArgumentException("model must not be null");
    }
    boolean learned = reverseVariance.choice().learned();
    if (learned && !(model instanceof VariancePredictor)) {
      throw new IllegalArgumentException("model must be a VariancePredictor for the learned "
          + "choice " + reverseVariance.choice() + ", got " + model.getClass().getSimpleName());
    }
    int T = schedule.T();
    if (eps == null || eps.length != T) {
      throw new IllegalArgumentException("eps must hold T = " + T + " noise tensors, got "
          + (eps == null ? "null" : eps.length));
    }
    double[][] terms = new double[T][];
    for (int step = 1; step <= T; step++) {
      int[] t = everySample(x0, step);
      Require.sameShape("x0", x0, "eps[" + (step - 1) + "]", eps[step - 1]);
      INDArray xt = forward.sample(x0, t, eps[step - 1]);
      INDArray x0Hat =
          model.prediction().toX0(parameterization, xt, t, model.predict(xt, t));
      INDArray varianceOutput =
          learned ? ((VariancePredictor) model).predictVariance(xt, t) : null;
      terms[step - 1] = step == 1
          ? decoderTerm(x0, xt, x0Hat, varianceOutput)
          : stepTerm(x0, xt, t, x0Hat, varianceOutput);
    }
    return new BoundTerms(priorTerm(x0), terms, x0.length() / x0.size(0));
  }

  /** The same timestep for every batch element of x. */
  private static int[] everySample(INDArray x, int t) {
    int[] out = new int[(int) x.size(0)];
    Arrays.fill(out, t);
    return out;
  }

  private static int[] previous(int[] t) {
    int[] s = new int[t.length];
    for (int b = 0; b < t.length; b++) {
      s[b] = t[b] - 1;
    }
    return s;
  }
}
