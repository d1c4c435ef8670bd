package org.diffusiontck.reference.sampling;

/**
 * How N inference timesteps are selected out of T ({@code spec/CONVENTIONS.md}, "Timestep
 * spacing"); {@link Timesteps} holds the exact definitions, translated to the papers' t = i + 1
 * from the codebases' zero-based index i.
 *
 * <p>Derivation: {@code spec/derivations/ddim.md} §8.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public enum Spacing {
  /** diffusers' {@code timestep_spacing="linspace"}: i = round(linspace(0, T − 1, N)). */
  LINSPACE,
  /**
   * diffusers' {@code "leading"}: i = k·⌊T/N⌋ + offset, k = 0..N−1, with the offset its {@code
   * steps_offset} (Stable Diffusion: 1).
   */
  LEADING,
  /** diffusers' {@code "trailing"}: i = round(arange(T, 0, −T/N)) − 1 (Lin et al. 2024, §3.3). */
  TRAILING,
  /**
   * improved-diffusion's {@code space_timesteps} section strings: "ddimN" (the DDIM paper's integer
   * stride) or comma-separated counts per equal section, e.g. "10,10,10".
   */
  SECTIONS
}
