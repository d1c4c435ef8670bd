package org.diffusiontck.checks.impl;

/**
 * β_t, ᾱ_t and SNR(t) = ᾱ_t/(1 − ᾱ_t) for t = 0..T (index t; β_0 = 0, ᾱ_0 = 1 and SNR(0) = +∞ in
 * the kit's convention).
 */
public record ScheduleTables(double[] beta, double[] alphaBar, double[] snr) {
  /**
   * Checks that the three tables are present and of one length.
   *
   * @param beta β_t
   * @param alphaBar ᾱ_t
   * @param snr SNR(t)
   */
  public ScheduleTables {
    if (beta == null || alphaBar == null || snr == null || beta.length != alphaBar.length
        || snr.length != beta.length) {
      throw new IllegalArgumentException("beta, alphaBar and snr must each hold T + 1 values");
    }
  }

  /**
   * The number of diffusion steps.
   *
   * @return T, the tables' length minus one
   */
  public int T() {
    return beta.length - 1;
  }
}
