package org.diffusiontck.golden.check;

import org.diffusiontck.golden.record.Pixels;

/**
 * One sample compared with its golden counterpart.
 *
 * @param sampler the sampler's name
 * @param seed the seed
 * @param shape the sample's shape [C, H, W]
 * @param golden the golden sample, C order
 * @param candidate the recomputed or candidate sample, C order
 * @param maxAbs the largest absolute difference
 * @param psnr 10 log10(range² / MSE) in dB, +∞ if identical
 * @param worstPixel the C-order index of the largest difference
 * @param passed whether both are within tolerance
 */
public record SampleDiff(
    String sampler,
    long seed,
    long[] shape,
    double[] golden,
    double[] candidate,
    double maxAbs,
    double psnr,
    int worstPixel,
    boolean passed) {

  /** Compares two samples of one shape, with the data's range width and the tolerances. */
  public static SampleDiff of(String sampler, long seed, long[] shape, double[] golden,
      double[] candidate, double range, double maxAbsAllowed, double psnrAllowed) {
    double worst = -1;
    int at = 0;
    double sum = 0;
    for (int i = 0; i < golden.length; i++) {
      double d = Math.abs(candidate[i] - golden[i]);
      if (!(d <= worst)) {
        worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
        at = i;
      }
      sum += d * d;
    }
    double mse = sum / golden.length;
    double psnr = mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(range * range / mse);
    boolean passed = worst <= maxAbsAllowed && psnr >= psnrAllowed;
    return new SampleDiff(sampler, seed, shape, golden, candidate, worst, psnr, at, passed);
  }

  /** The worst pixel as "(c, h, w)" (or the index in the sample's shape). */
  public String worstPixelText() {
    return Pixels.index(worstPixel, shape);
  }
}
