package org.diffusiontck.checks.impl;

/**
 * Convention: where a DDIM inversion loop ({@code ddim_invert}) ends ({@code spec/CONVENTIONS.md}
 * §15).
 */
public enum InversionEnd {
  /** At the largest selected timestep t_1: the answer is x_{t_1}. Default. */
  LAST_SELECTED,
  /**
   * One step past t_1, onto ᾱ = 0: improved-/guided-diffusion's {@code ddim_reverse_sample_loop},
   * whose last step moves to {@code alphas_cumprod_next[T − 1] = 0}. With the model evaluated on
   * x_{t_1} at t_1, that step is √0 x̂_0 + √1 ε̂: the answer is ε̂ exactly.
   */
  ALPHA_BAR_ZERO
}
