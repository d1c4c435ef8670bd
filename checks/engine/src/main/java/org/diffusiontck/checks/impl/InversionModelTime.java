package org.diffusiontck.checks.impl;

/**
 * Where DDIM inversion x_s → x_t (s &lt; t) evaluates the model ({@code spec/CONVENTIONS.md}, "DDIM
 * inversion").
 */
public enum InversionModelTime {
  /** At the source timestep s (guided-diffusion's {@code ddim_reverse_sample}). Default. */
  SOURCE,
  /** At the target timestep t (diffusers' {@code DDIMInverseScheduler}). */
  TARGET
}
