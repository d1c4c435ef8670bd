package org.diffusiontck.checks.rules.catalogue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.rules.Ask;
import org.diffusiontck.checks.rules.CaseRule;
import org.diffusiontck.checks.rules.Gen;
import org.diffusiontck.checks.rules.HighPrecision;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.Measurement;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.Statistics;
import org.diffusiontck.checks.rules.TensorCase;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;

/** FWD: the forward process q(x_t | x_s). */
final class ForwardRules {
  private ForwardRules() {}

  private static final List<Operation> OPS = List.of(Operation.SCHEDULE, Operation.FORWARD_SAMPLE);

  /** Sample size of the statistical rules: bounds below are for this n. */
  static final int N = 100_000;

  static List<Rule> all() {
    return List.of(coefficients(), varianceSampled(), pathwise(), composedMoments(), goodnessOfFit());
  }

  static Rule coefficients() {
    return CaseRule.of(new RuleInfo("FWD-1",
            "q(x_t | x_0) is sampled as sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps, whose "
                + "coefficients satisfy a^2 + b^2 = 1: unit-variance data keeps unit variance at "
                + "every t.",
            "Ho et al. 2020, eq. 4; spec/derivations/forward.md §2",
            "the two coefficients recomputed in 50-digit arithmetic from the implementation's "
                + "betas; the answer must be affine in (x_0, eps)",
            Level.REQUIRED, new Tolerances(
                new Tolerance(1e-13, 2e-12, "a few roundings on values below 6 (1e-13 absolute); "
                    + "a naive sqrt(1 - alphaBar_1) is off by half of eps / beta_1 = 5.5e-13 "
                    + "relative for beta_1 = 1e-4: 2e-12 relative to each term, so x_t's "
                    + "allowance is relative to |sqrt(alphaBar) x_0| + |sqrt(1 - alphaBar) eps|, "
                    + "not to x_t, which is far smaller where the two cancel"),
                new Tolerance(1e-6, 5e-4, "float32: a naive sqrt(1 - alphaBar_1) loses half of "
                    + "6e-8 / 1e-4 = 3e-4 relative; 5e-4, relative to each term as in float64"))),
        30, OPS, (r, d) -> TensorCase.generate(r, d, 1), TensorCase::shrinks, (impl, c, m) -> {
          HighPrecision hp = new HighPrecision(Ask.schedule(impl, c.schedule()).beta());
          Tensor x0 = c.normal(0);
          Tensor eps = c.normal(1);
          Tensor zero = x0.withData(new double[x0.data().length]);
          int[] from = new int[c.batch()];
          Tensor xt = Ask.forwardSample(impl, c.schedule(), x0, from, c.t(), eps);
          Tensor signal = Ask.forwardSample(impl, c.schedule(), x0, from, c.t(), zero);
          Tensor noise = Ask.forwardSample(impl, c.schedule(), zero, from, c.t(), eps);
          int per = x0.perSample();
          for (int i = 0; i < x0.data().length; i++) {
            int t = c.t()[i / per];
            double a = Math.sqrt(hp.alphaBar(t));
            double b = Math.sqrt(hp.oneMinusAlphaBar(t));
            m.close("sqrt(alphaBar_" + t + ") x0[" + i + "]", a * x0.data()[i], signal.data()[i]);
            m.close("sqrt(1 - alphaBar_" + t + ") eps[" + i + "]", b * eps.data()[i],
                noise.data()[i]);
            m.close("x_t[" + i + "]", a * x0.data()[i] + b * eps.data()[i], xt.data()[i],
                m.tolerance().forSum(1, Math.abs(a * x0.data()[i]) + Math.abs(b * eps.data()[i])));
          }
        });
  }

  static Rule varianceSampled() {
    double alpha = Statistics.FALSE_ALARM / 3;
    double bound = Statistics.varianceRatioBound(N, alpha);
    return CaseRule.of(new RuleInfo("FWD-2",
            "For unit-variance data x_0 ~ N(0, 1), the sampled x_t has variance 1 at t = 1, "
                + "T/2 and T.",
            "Ho et al. 2020, eq. 4 (variance preserving); spec/derivations/forward.md §2",
            "Monte Carlo: sample variance of " + N + " draws against the chi-square interval",
            Level.STATISTICAL, Tolerances.both(new Tolerance(bound, 0,
                "chi-square interval of S^2 for n = " + N + " at false-alarm 1e-6 split over 3 "
                    + "timesteps: |S^2 - 1| <= " + (float) bound + "; a variance off by twice "
                    + "this is detected with probability above 0.999"))),
        1, OPS, (r, d) -> new TensorCase(Gen.longSchedule(d), new long[] {1, N},
            new int[] {1}, new int[] {0}, r.nextLong()), c -> List.of(), (impl, c, m) -> {
          int T = c.schedule().steps();
          Tensor x0 = c.normal(0);
          Tensor eps = c.normal(1);
          for (int t : new int[] {1, Math.max(1, T / 2), T}) {
            Tensor xt = Ask.forwardSample(impl, c.schedule(), x0, new int[] {0}, new int[] {t}, eps);
            m.close("Var[x_" + t + "]", 1.0, Statistics.variance(xt.data()));
          }
        });
  }

  /** A chain case: one schedule, shape [B, …], a start s and an end t at most 40 steps later. */
  record ChainCase(ScheduleSpec schedule, long[] shape, int s, int t, long seed) {
    static ChainCase generate(SplittableRandom r, org.diffusiontck.checks.impl.Declaration d) {
      ScheduleSpec spec = Gen.schedule(r, d);
      int T = spec.steps();
      int s = r.nextInt(T);
      int t = s + 1 + r.nextInt(Math.min(40, T - s));
      return new ChainCase(spec, Gen.shape(r), s, t, r.nextLong());
    }

    List<ChainCase> shrinks() {
      List<ChainCase> out = new ArrayList<>();
      if (shape.length > 2 || shape[0] > 1 || shape[1] > 1) {
        out.add(new ChainCase(schedule, new long[] {1, 1}, s, t, seed));
      }
      if (t - s > 1) {
        out.add(new ChainCase(schedule, shape, s, s + 1, seed));
        out.add(new ChainCase(schedule, shape, s, t - 1, seed));
      }
      if (s > 0) {
        out.add(new ChainCase(schedule, shape, 0, t - s, seed));
      }
      return out;
    }

    int[] fill(int v) {
      int[] a = new int[(int) shape[0]];
      Arrays.fill(a, v);
      return a;
    }

    @Override
    public String toString() {
      return "{schedule: " + schedule + ", shape: " + Arrays.toString(shape) + ", s: " + s
          + ", t: " + t + ", tensor seed: " + seed + "}";
    }
  }

  static Rule pathwise() {
    return CaseRule.of(new RuleInfo("FWD-3",
            "Composing one-step samples q(x_k | x_{k-1}) from s to t with noises eps_k gives "
                + "the sample of q(x_t | x_s) with the combined noise sum_k c_k eps_k / "
                + "sqrt(1 - alphaBar_t/alphaBar_s), c_k = sqrt(beta_k alphaBar_t/alphaBar_k); "
                + "and q(x_t | x_s) after q(x_s | x_0) is q(x_t | x_0) likewise.",
            "Ho et al. 2020, eqs. 2 and 4; spec/derivations/forward.md §3",
            "pathwise: the implementation's own samples composed by hand with exact "
                + "(50-digit) coefficients",
            Level.REQUIRED, new Tolerances(
                new Tolerance(1e-12, 2e-12, "at most 40 steps of a few roundings on values below "
                    + "6 (40 * 4 * 6 * 1.1e-16 = 1e-13) plus FWD-1's 2e-12 relative for a naive "
                    + "1 - alphaBar, relative to the sum of the magnitudes of the closed form's "
                    + "terms a_{t|s} |x_s| + sum_k c_k |eps_k| (each step's terms, carried to t, "
                    + "are bounded by it)"),
                new Tolerance(1e-4, 5e-4, "float32: 40 * 4 * 6 * 6e-8 = 6e-5 absolute, plus "
                    + "FWD-1's 5e-4 relative to the terms as in float64"))),
        20, OPS, ChainCase::generate, ChainCase::shrinks, ForwardRules::checkPathwise)
        .when(Declaration::samplesForwardFromAnyStep, Declaration.FORWARD_FROM_DATA_ONLY);
  }

  private static void checkPathwise(DiffusionImplementation impl, ChainCase c, Measurement m) {
    HighPrecision hp = new HighPrecision(Ask.schedule(impl, c.schedule()).beta());
    Tensor xs = Gen.normal(c.seed(), 0, c.shape());
    int n = xs.data().length;
    Tensor x = xs;
    double[] combined = new double[n];
    double[] terms = new double[n];
    double a = Math.sqrt(hp.alphaBarRatio(c.t(), c.s()));
    for (int i = 0; i < n; i++) {
      terms[i] = a * Math.abs(xs.data()[i]);
    }
    for (int k = c.s() + 1; k <= c.t(); k++) {
      Tensor eps = Gen.normal(c.seed(), k, c.shape());
      x = Ask.forwardSample(impl, c.schedule(), x, c.fill(k - 1), c.fill(k), eps);
      double ck = Math.sqrt(hp.betaBetween(k, k - 1) * hp.alphaBarRatio(c.t(), k));
      for (int i = 0; i < n; i++) {
        combined[i] += ck * eps.data()[i];
        terms[i] += ck * Math.abs(eps.data()[i]);
      }
    }
    double norm = Math.sqrt(hp.betaBetween(c.t(), c.s()));
    for (int i = 0; i < n; i++) {
      combined[i] /= norm;
    }
    Tensor direct = Ask.forwardSample(
        impl, c.schedule(), xs, c.fill(c.s()), c.fill(c.t()), xs.withData(combined));
    for (int i = 0; i < n; i++) {
      m.close("chained x_" + c.t() + "[" + i + "]", direct.data()[i], x.data()[i],
          m.tolerance().forSum(1, terms[i]));
    }
    if (c.s() > 0) {
      // q(x_s | x_0) then q(x_t | x_s) against q(x_t | x_0) with the combined noise
      Tensor x0 = Gen.normal(c.seed(), 1_000_001, c.shape());
      Tensor e1 = Gen.normal(c.seed(), 1_000_002, c.shape());
      Tensor e2 = Gen.normal(c.seed(), 1_000_003, c.shape());
      Tensor mid = Ask.forwardSample(impl, c.schedule(), x0, c.fill(0), c.fill(c.s()), e1);
      Tensor end = Ask.forwardSample(impl, c.schedule(), mid, c.fill(c.s()), c.fill(c.t()), e2);
      double w1 = Math.sqrt(hp.alphaBarRatio(c.t(), c.s()) * hp.oneMinusAlphaBar(c.s()));
      double w2 = Math.sqrt(hp.betaBetween(c.t(), c.s()));
      double total = Math.sqrt(hp.oneMinusAlphaBar(c.t()));
      double signal = Math.sqrt(hp.alphaBar(c.t()));
      double[] e = new double[n];
      for (int i = 0; i < n; i++) {
        e[i] = (w1 * e1.data()[i] + w2 * e2.data()[i]) / total;
      }
      Tensor once = Ask.forwardSample(
          impl, c.schedule(), x0, c.fill(0), c.fill(c.t()), x0.withData(e));
      for (int i = 0; i < n; i++) {
        m.close("x_" + c.t() + " via x_" + c.s() + "[" + i + "]", once.data()[i], end.data()[i],
            m.tolerance().forSum(1, signal * Math.abs(x0.data()[i])
                + w1 * Math.abs(e1.data()[i]) + w2 * Math.abs(e2.data()[i])));
      }
    }
  }

  static Rule composedMoments() {
    return CaseRule.of(new RuleInfo("FWD-4",
            "q(x_t | x_s) composed with q(x_s | x_0) has the moments of q(x_t | x_0): "
                + "a_{t|0} = a_{t|s} a_{s|0} and b_{t|0}^2 = a_{t|s}^2 b_{s|0}^2 + b_{t|s}^2, "
                + "where a and b are the coefficients of the signal and of the noise.",
            "Kingma et al. 2021, eq. 4 (q(x_t | x_s)); spec/derivations/forward.md §3",
            "exact composition of Gaussians on coefficients read off the implementation's "
                + "samples (unit signal with zero noise, and zero signal with unit noise)",
            Level.REQUIRED, new Tolerances(
                new Tolerance(1e-14, 2e-12, "products of three coefficients below 1, each off by "
                    + "FWD-1's 2e-12 relative at most; b^2's sum has two non-negative terms, so "
                    + "relative to the sum is relative to its terms"),
                new Tolerance(1e-6, 1.5e-3, "float32: three coefficients each off by FWD-1's "
                    + "5e-4 relative"))),
        30, OPS, (r, d) -> TensorCase.generate(r, d, 2), TensorCase::shrinks, (impl, c, m) -> {
          long[] one = {1, 1};
          for (int b = 0; b < c.batch(); b++) {
            int t = c.t()[b];
            int s = Math.max(1, c.s()[b]);
            if (s >= t) {
              continue;
            }
            double[] ts = probe(impl, c.schedule(), s, t, one);
            double[] s0 = probe(impl, c.schedule(), 0, s, one);
            double[] t0 = probe(impl, c.schedule(), 0, t, one);
            m.close("a_{" + t + "|0}", ts[0] * s0[0], t0[0]);
            m.close("b_{" + t + "|0}^2", ts[0] * ts[0] * s0[1] * s0[1] + ts[1] * ts[1],
                t0[1] * t0[1]);
          }
        }).when(Declaration::samplesForwardFromAnyStep, Declaration.FORWARD_FROM_DATA_ONLY);
  }

  /** The coefficients (a, b) of q(x_t | x_s) read from samples with unit inputs. */
  private static double[] probe(
      DiffusionImplementation impl, ScheduleSpec spec, int s, int t, long[] shape) {
    Tensor one = new Tensor(shape, new double[] {1});
    Tensor zero = new Tensor(shape, new double[] {0});
    double a = Ask.forwardSample(impl, spec, one, new int[] {s}, new int[] {t}, zero).data()[0];
    double b = Ask.forwardSample(impl, spec, zero, new int[] {s}, new int[] {t}, one).data()[0];
    return new double[] {a, b};
  }

  static Rule goodnessOfFit() {
    return CaseRule.of(new RuleInfo("FWD-5",
            "Iterating 20 one-step samples from a fixed x_0 yields x_20 distributed as "
                + "q(x_20 | x_0): the standardized values pass a Kolmogorov-Smirnov test against "
                + "N(0, 1).",
            "Ho et al. 2020, eqs. 2 and 4; spec/derivations/forward.md §3",
            "Monte Carlo: Kolmogorov-Smirnov test of " + N + " standardized draws",
            Level.STATISTICAL, Tolerances.both(new Tolerance(0, 0,
                "the test fails when its p-value is below the false-alarm probability 1e-6; "
                    + "with n = " + N + " it detects a mean shift of about 0.02 or a scale "
                    + "error of about 3%"))),
        1, OPS, (r, d) -> new TensorCase(Gen.longSchedule(d), new long[] {1, N},
            new int[] {20}, new int[] {0}, r.nextLong()), c -> List.of(), (impl, c, m) -> {
          int t = 20;
          Tensor x0 = c.normal(0);
          Tensor x = x0;
          for (int k = 1; k <= t; k++) {
            x = Ask.forwardSample(impl, c.schedule(), x, new int[] {k - 1}, new int[] {k},
                c.normal(k));
          }
          HighPrecision hp = new HighPrecision(Ask.schedule(impl, c.schedule()).beta());
          double a = Math.sqrt(hp.alphaBar(t));
          double b = Math.sqrt(hp.oneMinusAlphaBar(t));
          double[] z = new double[x.data().length];
          for (int i = 0; i < z.length; i++) {
            z[i] = (x.data()[i] - a * x0.data()[i]) / b;
          }
          double p = Statistics.normalityPValue(z);
          m.require(p >= Statistics.FALSE_ALARM, "Kolmogorov-Smirnov p-value >= 1e-6",
              () -> "p = " + p + " for x_" + t + " standardized by q(x_" + t + " | x_0)");
        }).when(Declaration::samplesForwardFromAnyStep, Declaration.FORWARD_FROM_DATA_ONLY);
  }

}
