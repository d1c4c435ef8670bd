package org.diffusiontck.checks.impl;

/**
 * The variance σ_t² I of the reverse step p_θ(x_{t−1} | x_t) ({@code spec/CONVENTIONS.md},
 * "Learned variance: log-variance or variance").
 */
public enum VarianceChoice {
  /** σ_t² = β̃_t, the posterior variance (Ho et al. 2020, §3.2). Default. */
  FIXED_SMALL,
  /** σ_t² = β_t (Ho et al. 2020, §3.2). */
  FIXED_LARGE,
  /** The model outputs log σ_t² (improved-diffusion's {@code LEARNED}). */
  LEARNED_LOG_VARIANCE,
  /** The model outputs σ_t² (diffusers' {@code "learned"}). */
  LEARNED_VARIANCE,
  /**
   * The model outputs u ∈ [−1, 1], log σ_t² = v log β_t + (1 − v) log β̃_t, v = (u + 1)/2 (Nichol
   * &amp; Dhariwal 2021, eq. 15).
   */
  LEARNED_RANGE;

  /**
   * Whether the model supplies a variance output for this choice.
   *
   * @return true for the learned choices
   */
  public boolean learned() {
    return this != FIXED_SMALL && this != FIXED_LARGE;
  }
}
