package org.diffusiontck.reference.posterior;

/**
 * Convention: the log-variance used at t = 1, where the posterior variance β̃_1 is exactly 0 and
 * its logarithm is −∞ ({@code spec/CONVENTIONS.md}, "Log-variance at t = 1").
 *
 * <p>Derivation: {@code spec/derivations/posterior.md} §6.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public enum T1LogVariance {
  /**
   * log β̃_2 in place of log β̃_1 (Ho et al. 2020's code, {@code posterior_log_variance_clipped};
   * improved-diffusion). Default.
   */
  CLIP_TO_BETA_TILDE_2,
  /** log max(β̃_1, 1e-20) = log 1e-20 (diffusers, {@code torch.clamp(variance, min=1e-20)}). */
  CLAMP_1E_20,
  /** log β_1: the "fixed large" choice carried down to t = 1. */
  BETA_1;

  /** The floor of {@link #CLAMP_1E_20}. */
  public static final double CLAMP_FLOOR = 1e-20;
}
