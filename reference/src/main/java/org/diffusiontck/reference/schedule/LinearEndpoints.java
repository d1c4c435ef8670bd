package org.diffusiontck.reference.schedule;

/**
 * Convention: whether the linear schedule's endpoints are rescaled by 1000/T when T ≠ 1000
 * ({@code spec/CONVENTIONS.md}, "Linear schedule endpoints").
 *
 * <p>Derivation: {@code spec/derivations/forward.md} §1.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public enum LinearEndpoints {
  /** β_1 and β_T are the given endpoints whatever T (Ho et al. 2020; diffusers). Default. */
  FIXED,
  /**
   * Both endpoints are multiplied by 1000/T, so that the schedule keeps its shape in ᾱ when T
   * changes (Nichol &amp; Dhariwal 2021, improved-diffusion's {@code get_named_beta_schedule}).
   */
  SCALED_BY_1000_OVER_T
}
