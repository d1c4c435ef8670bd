package org.diffusiontck.checks.rules.catalogue;

import java.util.List;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.rules.Ask;
import org.diffusiontck.checks.rules.CaseRule;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.Statistics;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;

/** NOISE: the portable noise of spec/NOISE.md. */
final class NoiseRules {
  private NoiseRules() {}

  private static final int N = 1 << 18;

  static List<Rule> all() {
    return List.of(moments());
  }

  static Rule moments() {
    double alpha = Statistics.FALSE_ALARM / 5;
    double z = Statistics.z(alpha);
    double varBound = Statistics.varianceRatioBound(N, alpha);
    return CaseRule.of(new RuleInfo("NOISE-2",
            "A long portable-noise stream has mean 0, variance 1, no lag-1 correlation (within "
                + "and across Box-Muller pairs) and passes a Kolmogorov-Smirnov test against "
                + "N(0, 1).",
            "spec/NOISE.md (Box & Muller 1958)",
            "Monte Carlo on " + N + " consecutive values of one stream",
            Level.STATISTICAL, Tolerances.both(new Tolerance(z, 0,
                "false-alarm 1e-6 split over 5 tests: |mean| and |correlations| <= " + (float) z
                    + " standard errors, |S^2 - 1| <= " + (float) varBound + ", KS p-value >= "
                    + "2e-7; detects a mean of 0.01, a variance off by 2%, a correlation of 0.01"))),
        1, List.of(Operation.NOISE), (r, d) -> r.nextLong(), seed -> List.of(), (impl, seed, m) -> {
          Tensor noise = Ask.noise(impl, seed, 0, new long[] {1, N});
          double[] x = noise.data();
          m.close("mean in standard errors", 0, Statistics.mean(x) * Math.sqrt(N));
          m.close("variance", 1, Statistics.variance(x), new Tolerance(varBound, 0, "chi-square"));
          double[] even = new double[N / 2];
          double[] odd = new double[N / 2];
          double[] across = new double[N / 2 - 1];
          double[] next = new double[N / 2 - 1];
          for (int i = 0; i < N / 2; i++) {
            even[i] = x[2 * i];
            odd[i] = x[2 * i + 1];
            if (i + 1 < N / 2) {
              across[i] = x[2 * i + 1];
              next[i] = x[2 * i + 2];
            }
          }
          m.close("correlation within pairs * sqrt(n)", 0,
              Statistics.correlation(even, odd) * Math.sqrt(N / 2.0));
          m.close("correlation across pairs * sqrt(n)", 0,
              Statistics.correlation(across, next) * Math.sqrt(N / 2.0 - 1));
          double p = Statistics.normalityPValue(x);
          m.require(p >= alpha, "Kolmogorov-Smirnov p-value >= " + alpha,
              () -> "p = " + p + " for seed " + seed);
        });
  }
}
