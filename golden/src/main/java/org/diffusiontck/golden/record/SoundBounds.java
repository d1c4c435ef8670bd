package org.diffusiontck.golden.record;

/**
 * The bounds of the checks any sound model must pass (golden/README.md, "What any sound model
 * satisfies"), with their argument.
 *
 * @param seedsMinRms the smallest RMS difference allowed between the samples of two seeds
 * @param inversionRms the largest RMS difference allowed between a DDIM sample and its
 *     regeneration from its DDIM inversion, for {@value #INVERSION_STEPS} steps; for N steps
 *     it is scaled by {@value #INVERSION_STEPS}/N, the round trip's error being DDIM's
 *     discretization error twice, O(1/N)
 * @param priorRms the largest RMS difference allowed between ε̂(x_T, T) and x_T
 * @param rangeMargin how far outside the data's range a sample may go
 * @param why the argument
 */
public record SoundBounds(
    double seedsMinRms, double inversionRms, double priorRms, double rangeMargin, String why) {
  /** The step count {@code inversionRms} is stated for. */
  public static final int INVERSION_STEPS = 50;
}
