package org.diffusiontck.reference.sampling;

/**
 * Convention: where DDIM inversion x_s → x_t (s &lt; t) evaluates the model, always on x_s ({@code
 * spec/CONVENTIONS.md}, "DDIM inversion").
 *
 * <p>Derivation: {@code spec/derivations/ddim.md} §9.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public enum InversionModelTime {
  /**
   * At the source timestep s: the explicit Euler step of the DDIM ODE (Song et al. 2021, eq. 14)
   * run forward in time; guided-diffusion's {@code ddim_reverse_sample} (model at {@code t}, moving
   * to {@code alphas_cumprod_next[t]}). From s = 0 this needs {@link FinalAlphaBar#FIRST_SELECTED}:
   * the data is then taken at ᾱ_1 and the model evaluated at t = 1, as those loops do; under {@link
   * FinalAlphaBar#ONE} it is an error, no model being defined at t = 0. Default.
   */
  SOURCE,
  /**
   * At the target timestep t (diffusers' {@code DDIMInverseScheduler}: the UNet is called with the
   * step's {@code timestep}, the larger one; null-text inversion's {@code next_step}, Mokady et al.
   * 2023).
   */
  TARGET
}
