package org.diffusiontck.golden.model;

/**
 * Convention: the number a model's timestep input carries for the papers' t ∈ 1..T ({@code
 * spec/CONVENTIONS.md}, "Timesteps").
 */
public enum ModelTimestep {
  /** The papers' t itself, 1..T. */
  PAPER_T,
  /**
   * The 0-based index i = t − 1, 0..T−1, of diffusers and improved-diffusion: what the common
   * export of a diffusers UNet takes. Default.
   */
  ZERO_BASED_INDEX;

  /** The value the model is given for the papers' t. */
  public long value(int t) {
    return this == PAPER_T ? t : t - 1L;
  }
}
