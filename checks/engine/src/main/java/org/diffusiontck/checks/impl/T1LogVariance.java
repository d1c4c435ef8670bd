package org.diffusiontck.checks.impl;

/**
 * The log-variance used at t = 1, where β̃_1 = 0 ({@code spec/CONVENTIONS.md}, "Log-variance at t =
 * 1").
 */
public enum T1LogVariance {
  /** log β̃_2 (Ho et al. 2020's code; improved-diffusion). Default. */
  CLIP_TO_BETA_TILDE_2,
  /** log max(β̃_1, 1e-20) = log 1e-20 (diffusers). */
  CLAMP_1E_20,
  /** log β_1. */
  BETA_1
}
