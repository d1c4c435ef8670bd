package org.diffusiontck.reference.sampling;

/**
 * Convention: the ᾱ that a DDIM step to s = 0 lands on, and that DDIM inversion from s = 0 starts
 * from ({@code spec/CONVENTIONS.md}, "DDIM details").
 *
 * <p>Derivation: {@code spec/derivations/ddim.md} §5.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public enum FinalAlphaBar {
  /** ᾱ_0 = 1: the last step lands on the data (Song et al. 2021; diffusers' {@code
   * set_alpha_to_one=True}). Default. */
  ONE,
  /**
   * ᾱ_1, the ᾱ at the first training step t = 1 (diffusers' {@code set_alpha_to_one=False}: {@code
   * final_alpha_cumprod = alphas_cumprod[0]}). The last step is then computed as a step to t = 1.
   */
  FIRST_SELECTED
}
