package org.diffusiontck.reference.elbo;

import org.diffusiontck.reference.Require;
import org.diffusiontck.reference.posterior.Posterior;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.ReverseVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * L_simple (Ho et al. 2020, eq. 14) and the exact relation to the bound's term L_{t−1} for
 * ε-prediction with a fixed reverse variance σ_t², t = 2..T (Ho et al. 2020, eqs. 8 and 12):
 *
 * <pre>
 *   L_{t−1} = w_t ‖ε − ε_θ‖² + C_t,   w_t = β_t² / (2 σ_t² α_t (1 − ᾱ_t)),
 *   C_t = D/2 · (β̃_t/σ_t² − 1 − log(β̃_t/σ_t²)).
 * </pre>
 *
 * Derivation: with x̂_0 from ε_θ (Ho et al. eq. 15), μ̃(x_t, x_0) − μ̃(x_t, x̂_0) = √ᾱ_{t−1} β_t /
 * (1 − ᾱ_t) · (x_0 − x̂_0) = β_t / (√α_t √(1 − ᾱ_t)) · (ε_θ − ε), whose square over 2σ_t² gives w_t;
 * the rest of the Gaussian KL per coordinate, ½(−1 + log σ_t² − log β̃_t + β̃_t/σ_t²), is C_t/D. C_t
 * is 0 for {@code FIXED_SMALL} (σ_t² = β̃_t). For {@code FIXED_LARGE} (σ_t² = β_t), β̃_t/σ_t² = r_t
 * = (1 − ᾱ_{t−1})/(1 − ᾱ_t) and C_t = D/2 · (r_t − 1 − log r_t) &gt; 0.
 *
 * <p>Derivation: {@code spec/derivations/simple-loss.md} §1–§3, §4.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class SimpleLoss {
  private final NoiseSchedule schedule;
  private final Posterior posterior;
  private final ReverseVariance variance;

  /**
   * @param choice {@code FIXED_SMALL} or {@code FIXED_LARGE} (the t = 1 convention plays no part:
   *     the relation holds for t ≥ 2)
   * @throws IllegalArgumentException for a learned choice
   */
  public SimpleLoss(NoiseSchedule schedule, VarianceChoice choice) {
    if (choice == null || choice.learned()) {
      throw new IllegalArgumentException("choice must be FIXED_SMALL or FIXED_LARGE, got " + choice);
    }
    this.schedule = schedule;
    this.posterior = new Posterior(schedule);
    this.variance = new ReverseVariance(schedule, choice, T1LogVariance.CLIP_TO_BETA_TILDE_2);
  }

  /**
   * L_simple = ‖ε − ε_θ‖² per batch element, summed over its coordinates (Ho et al. 2020, eq. 14,
   * for one t and one ε; codes that average over the D coordinates report this divided by D).
   */
  public static double[] lSimple(INDArray eps, INDArray epsTheta) {
    Require.sameShape("eps", eps, "epsTheta", epsTheta);
    return GaussianKl.sumPerSample(Transforms.pow(eps.sub(epsTheta), 2, false));
  }

  /** w_t = β_t² / (2 σ_t² α_t (1 − ᾱ_t)) (Ho et al. 2020, eq. 12), t = 2..T. */
  public double weight(int t) {
    double logSigmaSquared = logSigmaSquared(t);
    double beta = schedule.beta(t);
    return beta * beta * Math.exp(-logSigmaSquared)
        / (2.0 * schedule.alpha(t) * schedule.oneMinusAlphaBar(t));
  }

  /**
   * C_t = D/2 · (β̃_t/σ_t² − 1 − log(β̃_t/σ_t²)), the part of L_{t−1} that does not depend on the
   * model (Ho et al. 2020, eq. 8), t = 2..T; evaluated as D/2 · (expm1(δ) − δ), δ = log β̃_t − log
   * σ_t².
   */
  public double constant(int t, long dimensions) {
    BoundTerms.requireDimensions(dimensions);
    double delta = Math.log(posterior.variance(t)) - logSigmaSquared(t);
    return 0.5 * dimensions * (Math.expm1(delta) - delta);
  }

  private double logSigmaSquared(int t) {
    Require.timestep("t", t, schedule.T());
    Require.atLeast("t", t, 2);
    return variance.fixedLogVariance(t);
  }
}
