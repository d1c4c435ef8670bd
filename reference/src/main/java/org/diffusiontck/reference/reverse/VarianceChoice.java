package org.diffusiontck.reference.reverse;

/**
 * The variance Σ_θ(x_t, t) = σ_t² I of the reverse step p_θ(x_{t−1} | x_t) ({@code
 * spec/CONVENTIONS.md}, "Reverse-process variance").
 *
 * <p>Derivation: {@code spec/derivations/elbo.md} §4; {@code spec/derivations/ddpm.md} §1.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public enum VarianceChoice {
  /** σ_t² = β̃_t (Ho et al. 2020, §3.2: the lower bound on the reverse variance). Default. */
  FIXED_SMALL,
  /** σ_t² = β_t (Ho et al. 2020, §3.2: the upper bound). */
  FIXED_LARGE,
  /** The model outputs log σ_t² (improved-diffusion's {@code LEARNED}). */
  LEARNED_LOG_VARIANCE,
  /** The model outputs σ_t² itself (diffusers' {@code "learned"}: the step takes its square root). */
  LEARNED_VARIANCE,
  /**
   * The model outputs u ∈ [−1, 1] and log σ_t² = v log β_t + (1 − v) log β̃_t with v = (u + 1)/2
   * (Nichol &amp; Dhariwal 2021, eq. 15; improved-diffusion's {@code LEARNED_RANGE}).
   */
  LEARNED_RANGE;

  /** Whether the model supplies a variance output for this choice. */
  public boolean learned() {
    return this != FIXED_SMALL && this != FIXED_LARGE;
  }
}
