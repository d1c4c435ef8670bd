package org.diffusiontck.reference.sampling;

/**
 * Convention: which ε̂ the DDIM step's direction term √(1 − ᾱ_s − σ²) ε̂ uses when x̂_0 is clipped
 * ({@code spec/CONVENTIONS.md}, "DDIM details").
 *
 * <p>Derivation: {@code spec/derivations/ddim.md} §2.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public enum DdimEpsilon {
  /** ε̂ from the model output as it is, whatever the clipping of x̂_0 (diffusers' default). */
  MODEL,
  /**
   * ε̂ = (x_t − √ᾱ_t x̂_0) / √(1 − ᾱ_t) recomputed from the clipped x̂_0 (diffusers' {@code
   * use_clipped_model_output=True}; GLIDE, improved-diffusion's {@code ddim_sample}). Equal to
   * {@link #MODEL} up to rounding when nothing is clipped.
   */
  RECOMPUTED_FROM_CLIPPED_X0
}
