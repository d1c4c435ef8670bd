package org.diffusiontck.checks.impl;

/**
 * Which ε̂ the DDIM step's direction term uses when x̂_0 is clipped ({@code spec/CONVENTIONS.md},
 * "DDIM: ε from the clipped x̂_0").
 */
public enum DdimEpsilon {
  /** ε̂ from the model output as it is (diffusers' default). Default. */
  MODEL,
  /** ε̂ recomputed from the clipped x̂_0 (diffusers' {@code use_clipped_model_output=True}). */
  RECOMPUTED_FROM_CLIPPED_X0
}
