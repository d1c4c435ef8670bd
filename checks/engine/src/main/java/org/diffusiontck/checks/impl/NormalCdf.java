package org.diffusiontck.checks.impl;

/**
 * The standard normal CDF Φ of the decoder term L_0 ({@code spec/CONVENTIONS.md}, "The decoder's
 * normal CDF").
 */
public enum NormalCdf {
  /** Φ(z) = ½ erfc(−z/√2). Default. */
  EXACT,
  /** Φ(z) ≈ ½(1 + tanh(√(2/π)(z + 0.044715 z³))) (Ho et al. 2020's code; improved-diffusion). */
  TANH_APPROXIMATION
}
