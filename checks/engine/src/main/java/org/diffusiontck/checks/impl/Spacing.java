package org.diffusiontck.checks.impl;

/**
 * How N inference timesteps are selected out of T ({@code spec/CONVENTIONS.md}, "Timestep selection
 * (spacing)", which holds the exact definitions).
 */
public enum Spacing {
  /** diffusers' {@code timestep_spacing="linspace"}. */
  LINSPACE,
  /** diffusers' {@code "leading"}, with its {@code steps_offset}. */
  LEADING,
  /** diffusers' {@code "trailing"} (Lin et al. 2024, §3.3). */
  TRAILING,
  /** improved-diffusion's {@code space_timesteps} section strings ("ddimN" or counts). */
  SECTIONS
}
