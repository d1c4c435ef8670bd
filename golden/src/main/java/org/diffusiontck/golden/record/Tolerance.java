package org.diffusiontck.golden.record;

/**
 * What a golden record allows between its numbers and a recomputation in one environment, with the
 * argument for the numbers (golden/README.md, "Tolerances").
 *
 * @param sampleMaxAbs the largest absolute difference allowed at any pixel of a sample
 * @param samplePsnrDb the smallest PSNR allowed per sample, 10 log10(range² / MSE), in dB
 * @param lossRel allowed relative difference of the denoising loss at each t (with lossAbs)
 * @param lossAbs allowed absolute difference of the denoising loss at each t (with lossRel)
 * @param boundBits allowed difference of the bound, in bits per dimension
 * @param determinismMaxAbs the largest difference allowed between two runs of DDIM at σ = 0 on
 *     the same noise, in the same process
 * @param why the argument
 */
public record Tolerance(
    double sampleMaxAbs,
    double samplePsnrDb,
    double lossRel,
    double lossAbs,
    double boundBits,
    double determinismMaxAbs,
    String why) {
  public Tolerance {
    for (double v : new double[] {sampleMaxAbs, samplePsnrDb, lossRel, lossAbs, boundBits,
        determinismMaxAbs}) {
      if (!(v >= 0)) {
        throw new IllegalArgumentException("tolerances must be non-negative numbers, got " + v);
      }
    }
  }

  /** Whether a loss {@code observed} is within tolerance of {@code recorded}. */
  public boolean lossWithin(double recorded, double observed) {
    return Math.abs(observed - recorded) <= lossAbs + lossRel * Math.abs(recorded);
  }
}
