package org.diffusiontck.checks.rules.catalogue;

import java.util.List;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.PosteriorResult;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.rules.Ask;
import org.diffusiontck.checks.rules.CaseRule;
import org.diffusiontck.checks.rules.Gen;
import org.diffusiontck.checks.rules.HighPrecision;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.Statistics;
import org.diffusiontck.checks.rules.TensorCase;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;

/** POST: the forward-process posterior q(x_s | x_t, x_0). */
final class PosteriorRules {
  private PosteriorRules() {}

  private static final int N = 100_000;

  static List<Rule> all() {
    return List.of(bayes(), monteCarlo());
  }

  static Rule bayes() {
    return CaseRule.of(new RuleInfo("POST-1",
            "The posterior mean and variance of q(x_s | x_t, x_0), for s = t - 1 and any s < t, "
                + "equal the product of the Gaussians q(x_s | x_0) and q(x_t | x_s) normalized "
                + "over x_s (a point mass at x_0 when s = 0).",
            "Ho et al. 2020, eqs. 6-7; Kingma et al. 2021, Appendix A; "
                + "spec/derivations/posterior.md",
            "Bayes' rule: precisions add, means are precision-weighted, with 50-digit schedule "
                + "quantities from the implementation's betas",
            Level.REQUIRED, new Tolerances(
                new Tolerance(1e-11, 1e-11, "closed-form coefficients and the Bayes route differ "
                    + "by a few roundings; a naive 1 - alphaBar_t costs up to eps / beta_1 = "
                    + "1.1e-12 relative, amplified up to tenfold by the ratios; values below 6; "
                    + "the mean's relative part applies to |c_0 x_0| + |c_t x_t|, the terms whose "
                    + "coefficients carry it, not to the mean where they cancel"),
                new Tolerance(1e-3, 2e-3, "float32: a naive 1 - alphaBar_t loses 6e-8 / 1e-4 = "
                    + "6e-4 relative at t = 1, amplified by the ratios up to threefold; the "
                    + "mean's relative to its terms as in float64"))),
        40, List.of(Operation.SCHEDULE, Operation.POSTERIOR),
        (r, d) -> TensorCase.generate(r, d, 1), TensorCase::shrinks, (impl, c, m) -> {
          HighPrecision hp = new HighPrecision(Ask.schedule(impl, c.schedule()).beta());
          Tensor x0 = c.normal(0);
          Tensor xt = c.normal(1);
          PosteriorResult post = Ask.posterior(impl, c.schedule(), x0, xt, c.t(), c.s());
          int per = x0.perSample();
          for (int b = 0; b < c.batch(); b++) {
            int t = c.t()[b];
            int s = c.s()[b];
            double[] g = gaussianProduct(hp, t, s);
            m.close("variance of q(x_" + s + " | x_" + t + ", x_0)", g[2], post.variance()[b]);
            for (int i = b * per; i < (b + 1) * per; i++) {
              m.close("mean[" + i + "] (t = " + t + ", s = " + s + ")",
                  g[0] * x0.data()[i] + g[1] * xt.data()[i], post.mean().data()[i],
                  m.tolerance().forSum(1, Math.abs(g[0] * x0.data()[i])
                      + Math.abs(g[1] * xt.data()[i])));
            }
          }
        });
  }

  /**
   * Bayes' rule for q(x_s | x_t, x_0) ∝ N(x_s; √ᾱ_s x_0, 1 − ᾱ_s) · N(x_t; √(ᾱ_t/ᾱ_s) x_s,
   * β_{t|s}): returns (coefficient of x_0, coefficient of x_t, variance).
   */
  static double[] gaussianProduct(HighPrecision hp, int t, int s) {
    if (s == 0) {
      return new double[] {1, 0, 0};
    }
    double priorVar = hp.oneMinusAlphaBar(s);
    double a = Math.sqrt(hp.alphaBarRatio(t, s));
    double likVar = hp.betaBetween(t, s);
    double precision = 1 / priorVar + a * a / likVar;
    double var = 1 / precision;
    return new double[] {var * Math.sqrt(hp.alphaBar(s)) / priorVar, var * a / likVar, var};
  }

  static Rule monteCarlo() {
    int[][] pairs = {{2, 1}, {500, 499}, {1000, 999}, {700, 300}};
    double alpha = Statistics.FALSE_ALARM / (3 * pairs.length);
    double z = Statistics.z(alpha);
    double varBound = Statistics.varianceRatioBound(N, alpha);
    return CaseRule.of(new RuleInfo("POST-2",
            "Drawing x_s ~ q(x_s | x_0) and x_t ~ q(x_t | x_s), the residual x_s - mu~(x_t, x_0) "
                + "has mean 0, variance betaTilde_{t|s}, and no correlation with x_t.",
            "Ho et al. 2020, eqs. 6-7; spec/derivations/posterior.md",
            "Monte Carlo with " + N + " draws per (t, s) for (2, 1), (500, 499), (1000, 999), "
                + "(700, 300) on a T = 1000 schedule",
            Level.STATISTICAL, Tolerances.both(new Tolerance(z, 0,
                "false-alarm 1e-6 split over 12 tests: |mean| <= " + (float) z
                    + " standard errors, |S^2 / betaTilde - 1| <= " + (float) varBound
                    + ", |correlation| <= " + (float) z + " / sqrt(n); a residual mean of 0.02 "
                    + "posterior standard deviations or a variance off by 4% is detected"))),
        1, List.of(Operation.SCHEDULE, Operation.FORWARD_SAMPLE, Operation.POSTERIOR),
        (r, d) -> new TensorCase(Gen.longSchedule(d), new long[] {1, N},
            new int[] {1}, new int[] {0}, r.nextLong()),
        c -> List.of(), (impl, c, m) -> {
          Tensor x0 = c.normal(0);
          for (int[] p : pairs) {
            int t = p[0];
            int s = p[1];
            Tensor xs = Ask.forwardSample(impl, c.schedule(), x0, new int[] {0}, new int[] {s},
                c.normal(1 + 2L * t));
            Tensor xt = Ask.forwardSample(impl, c.schedule(), xs, new int[] {s}, new int[] {t},
                c.normal(2 + 2L * t));
            PosteriorResult post =
                Ask.posterior(impl, c.schedule(), x0, xt, new int[] {t}, new int[] {s});
            double[] res = new double[N];
            for (int i = 0; i < N; i++) {
              res[i] = xs.data()[i] - post.mean().data()[i];
            }
            double var = post.variance()[0];
            String at = " (t = " + t + ", s = " + s + ")";
            m.close("residual mean in standard errors" + at, 0,
                Statistics.mean(res) / Math.sqrt(var / N));
            m.close("residual variance / betaTilde" + at, 1, Statistics.variance(res) / var,
                new Tolerance(varBound, 0, "chi-square interval"));
            m.close("correlation(residual, x_t) * sqrt(n)" + at, 0,
                Statistics.correlation(res, xt.data()) * Math.sqrt(N));
          }
        }).when(Declaration::samplesForwardFromAnyStep, Declaration.FORWARD_FROM_DATA_ONLY);
  }
}
