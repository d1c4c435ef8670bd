package org.diffusiontck.checks.rules;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;

/**
 * The bounds of the statistical rules. Each rule runs on a fixed seed (so CI is never flaky) and
 * splits its false-alarm budget of at most 1e-6 over its tests (Bonferroni); a bound is the
 * quantile at which a correct implementation would fail with that probability on a random seed.
 */
public final class Statistics {
  /** The false-alarm probability a statistical rule may spend in all. */
  public static final double FALSE_ALARM = 1e-6;

  private static final NormalDistribution STANDARD = NormalDistribution.of(0, 1);

  private Statistics() {}

  /** z with P(|Z| > z) = alpha for a standard normal Z. */
  public static double z(double alpha) {
    return STANDARD.inverseSurvivalProbability(alpha / 2);
  }

  /**
   * The largest |S²/σ² − 1| a sample of n normals shows with probability 1 − alpha: the wider side
   * of the two-sided chi-square interval of (n − 1) S²/σ².
   */
  public static double varianceRatioBound(int n, double alpha) {
    ChiSquaredDistribution chi = ChiSquaredDistribution.of(n - 1);
    double lo = chi.inverseCumulativeProbability(alpha / 2) / (n - 1);
    double hi = chi.inverseSurvivalProbability(alpha / 2) / (n - 1);
    return Math.max(1 - lo, hi - 1);
  }

  /** The Kolmogorov–Smirnov p-value of {@code x} against N(0, 1). */
  public static double normalityPValue(double[] x) {
    return KolmogorovSmirnovTest.withDefaults().test(x, STANDARD::cumulativeProbability).getPValue();
  }

  public static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  /** The unbiased sample variance. */
  public static double variance(double[] x) {
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return s / (x.length - 1);
  }

  /** The sample correlation of x and y. */
  public static double correlation(double[] x, double[] y) {
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
