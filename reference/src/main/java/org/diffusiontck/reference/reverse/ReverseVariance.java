package org.diffusiontck.reference.reverse;

import org.diffusiontck.reference.PerSample;
import org.diffusiontck.reference.Require;
import org.diffusiontck.reference.posterior.Posterior;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * log σ_t², the log-variance of the reverse step p_θ(x_{t−1} | x_t) = N(μ_θ, σ_t² I) (Ho et al.
 * 2020, eq. 1 and §3.2; Nichol &amp; Dhariwal 2021, §3.1), for one {@link VarianceChoice} and one
 * {@link T1LogVariance} convention. A strided sampler uses it on its respaced schedule.
 *
 * <p>Derivation: {@code spec/derivations/elbo.md} §4; {@code spec/derivations/ddpm.md} §1.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class ReverseVariance {
  private final NoiseSchedule schedule;
  private final Posterior posterior;
  private final VarianceChoice choice;
  private final T1LogVariance t1;

  public ReverseVariance(NoiseSchedule schedule, VarianceChoice choice, T1LogVariance t1) {
    if (choice == null || t1 == null) {
      throw new IllegalArgumentException(
          "choice and t1 must not be null, got " + choice + " and " + t1);
    }
    this.schedule = schedule;
    this.posterior = new Posterior(schedule);
    this.choice = choice;
    this.t1 = t1;
  }

  public VarianceChoice choice() {
    return choice;
  }

  /** log β̃_t, with the t = 1 convention (Ho et al. 2020, eq. 7). */
  public double logBetaTilde(int t) {
    return posterior.logVariance(t, t1);
  }

  /**
   * log β_t for t ≥ 2; at t = 1 the convention's value: log β̃_2 for {@link
   * T1LogVariance#CLIP_TO_BETA_TILDE_2} (Ho et al. 2020's code, "fixedlarge"), else log β_1.
   */
  public double logBeta(int t) {
    Require.timestep("t", t, schedule.T());
    Require.atLeast("t", t, 1);
    if (t == 1 && t1 == T1LogVariance.CLIP_TO_BETA_TILDE_2) {
      return logBetaTilde(1);
    }
    return Math.log(schedule.beta(t));
  }

  /**
   * log σ_t² for a fixed choice: log β̃_t ({@link VarianceChoice#FIXED_SMALL}) or log β_t ({@link
   * VarianceChoice#FIXED_LARGE}).
   *
   * @throws IllegalArgumentException for a learned choice, which needs the model's output
   */
  public double fixedLogVariance(int t) {
    return switch (choice) {
      case FIXED_SMALL -> logBetaTilde(t);
      case FIXED_LARGE -> logBeta(t);
      default -> throw new IllegalArgumentException(
          "choice " + choice + " is learned: pass the model's variance output");
    };
  }

  /**
   * log σ_t² per coordinate, of x_t's shape. For fixed choices {@code modelOutput} is ignored (may
   * be null); for learned ones it is the model's variance channel, of x_t's shape: log σ² itself,
   * σ² (must be positive), or u ∈ [−1, 1] with log σ² = v log β_t + (1 − v) log β̃_t, v = (u +
   * 1)/2 (Nichol &amp; Dhariwal 2021, eq. 15). In that interpolation log β_t is log β_1 at t = 1
   * under every convention (improved-diffusion's {@code max_log = log(betas)}, diffusers' {@code
   * log(current_beta_t)}); only log β̃_t follows the t = 1 convention.
   */
  public INDArray logVariance(INDArray xt, int[] t, INDArray modelOutput) {
    Require.onePerSample("t", t, "xt", xt);
    for (int tb : t) {
      Require.timestep("t", tb, schedule.T());
      Require.atLeast("t", tb, 1);
    }
    if (!choice.learned()) {
      return PerSample.fill(PerSample.coefficient(t, this::fixedLogVariance), xt);
    }
    Require.sameShape("xt", xt, "modelOutput", modelOutput);
    return switch (choice) {
      case LEARNED_LOG_VARIANCE -> modelOutput.dup();
      case LEARNED_VARIANCE -> {
        double min =
            modelOutput.isNaN().any() ? Double.NaN : modelOutput.minNumber().doubleValue();
        if (!(min > 0)) {
          throw new IllegalArgumentException(
              "modelOutput must be a positive variance under LEARNED_VARIANCE, got minimum " + min);
        }
        yield Transforms.log(modelOutput, true);
      }
      case LEARNED_RANGE -> {
        INDArray v = modelOutput.add(1.0).divi(2.0);
        INDArray maxLog =
            PerSample.fill(PerSample.coefficient(t, s -> Math.log(schedule.beta(s))), xt);
        INDArray minLog = PerSample.fill(PerSample.coefficient(t, this::logBetaTilde), xt);
        yield v.mul(maxLog).addi(v.rsub(1.0).muli(minLog));
      }
      default -> throw new IllegalStateException("unreachable: " + choice);
    };
  }
}
