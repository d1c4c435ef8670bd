package org.diffusiontck.reference.sampling;

/**
 * Convention: the timestep s that a sampler steps to from a selected timestep t ({@code
 * spec/CONVENTIONS.md}, "Timestep spacing").
 *
 * <p>Derivation: {@code spec/derivations/ddim.md} §8.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public enum PreviousTimestep {
  /**
   * The next element of the timestep list, and 0 after the last one (improved-diffusion's respaced
   * sampling; the DDIM paper's sub-sequence τ, Song et al. 2021, §4.2). Default.
   */
  NEXT_SELECTED,
  /**
   * s = max(t − ⌊T/N⌋, 0) for N selected timesteps (diffusers' DDIM: {@code prev_timestep =
   * timestep - num_train_timesteps // num_inference_steps}, with the final ᾱ where that index is
   * negative). Differs from {@link #NEXT_SELECTED} wherever the list is not strided by ⌊T/N⌋.
   */
  FIXED_STRIDE
}
