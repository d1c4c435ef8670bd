package org.diffusiontck.checks.rules.catalogue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.diffusiontck.checks.rules.Ask;
import org.diffusiontck.checks.rules.CaseRule;
import org.diffusiontck.checks.rules.Gen;
import org.diffusiontck.checks.rules.HighPrecision;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.Measurement;
import org.diffusiontck.checks.rules.Quadrature;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.Statistics;
import org.diffusiontck.checks.rules.TensorCase;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;

/**
 * KL: the Gaussian KL divergence of the bound's terms, and the weight of L_simple. Per coordinate,
 * KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) = ½(σ₁²/σ₂² − 1 − log(σ₁²/σ₂²)) + (μ₁ − μ₂)²/(2σ₂²); a closed form
 * built from these terms rounds by a few ulps of their size M (see {@link #magnitude}), so the
 * tolerances of KL-1..3 are per unit of M.
 */
final class KlRules {
  private KlRules() {}

  /** Monte Carlo sample size of KL-3. */
  static final int N = 100_000;

  private static final Tolerances PER_MAGNITUDE = new Tolerances(
      new Tolerance(1e-13, 0, "per unit of the terms' size M: the quadrature sums 32 products "
          + "per piece plainly (32 * 1.1e-16 of the integral of |f| <= M) and the pieces with "
          + "compensation; the closed form rounds a few times at the size M: 1e-13"),
      new Tolerance(1e-6, 0, "float32, per unit of M: the inputs and about ten operations "
          + "round by 6e-8 each"));

  /**
   * The tolerance of a STEP_TERM answer, per unit of {@link Step#allowance}'s scales; its relative
   * part is argued for min(β_1, β_t) ≥ {@link #ARGUED_BETA} and scaled by {@link Step#unit} for
   * the schedule actually used.
   */
  static final Tolerances STEP_TERM = new Tolerances(
      new Tolerance(1e-15, 1e-11, "abs per unit of rounding scale (about 8 roundings of "
          + "1.1e-16); rel: the coefficients formed from a naive 1 - alphaBar_{t-1}, 1 - "
          + "alphaBar_t (both >= beta_1) and beta_t = 1 - alphaBar_t / alphaBar_{t-1} carry eps "
          + "/ min(beta_1, beta_t) each, <= 2.7e-12 at 4.1e-5, three of them in the weight: "
          + "1e-11, scaled by 4.1e-5 / min(beta_1, beta_t) where the case's schedule goes lower"),
      new Tolerance(1e-6, 5e-3, "float32: abs 8 roundings of 6e-8 per unit; rel: a naive "
          + "1 - alphaBar_t loses 6e-8 / 4.1e-5 = 1.5e-3 per coefficient, scaled as in "
          + "float64"));

  /** The smallest β_1 and β_t for which {@link #STEP_TERM}'s relative part is argued as it stands. */
  static final double ARGUED_BETA = 4.1e-5;

  static List<Rule> all() {
    return List.of(integration(), gibbs(), monteCarlo(), simpleLossWeight());
  }

  /** Pairs of diagonal Gaussians of one shape [B, …] drawn from portable noise. */
  record PairCase(long[] shape, long seed) {
    static PairCase generate(SplittableRandom r, Declaration d) {
      return new PairCase(Gen.shape(r), r.nextLong());
    }

    /** Means 1.5 z (stream k). */
    Tensor mean(long k) {
      Tensor z = Gen.normal(seed, k, shape);
      double[] m = z.data().clone();
      for (int i = 0; i < m.length; i++) {
        m[i] *= 1.5;
      }
      return z.withData(m);
    }

    /** Log-variances -1.5 + 1.5 z within [-6, 3] (stream k). */
    Tensor logVariance(long k) {
      Tensor z = Gen.normal(seed, k, shape);
      double[] lv = z.data().clone();
      for (int i = 0; i < lv.length; i++) {
        lv[i] = Math.max(-6, Math.min(3, -1.5 + 1.5 * lv[i]));
      }
      return z.withData(lv);
    }

    int batch() {
      return (int) shape[0];
    }

    List<PairCase> shrinks() {
      return shape.length > 2 || shape[0] > 1 || shape[1] > 1
          ? List.of(new PairCase(new long[] {1, 1}, seed)) : List.of();
    }

    @Override
    public String toString() {
      return "{shape: " + Arrays.toString(shape) + ", tensor seed: " + seed + "}";
    }
  }

  /**
   * M = (1 + |lv₁| + |lv₂|)(1 + e^{lv₁ − lv₂}) + (|μ₁ − μ₂| + |μ₁| + |μ₂|)² e^{−lv₂}: the size of
   * the closed form's terms, with the inputs' own rounding (relative to |lv| and |μ|) folded in.
   */
  static double magnitude(double m1, double lv1, double m2, double lv2) {
    double spread = Math.abs(m1 - m2) + Math.abs(m1) + Math.abs(m2);
    return (1 + Math.abs(lv1) + Math.abs(lv2)) * (1 + Math.exp(lv1 - lv2))
        + spread * spread * Math.exp(-lv2);
  }

  /**
   * log p(x) − log q(x) at x = μ₁ + σ₁ z for p = N(μ₁, e^{lv₁}), q = N(μ₂, e^{lv₂}): the two
   * log-densities of the definition, each evaluated at the same point.
   */
  static double logRatio(double z, double m1, double lv1, double m2, double lv2) {
    double fromMean2 = (m1 - m2) + Math.exp(0.5 * lv1) * z;
    double logP = -0.5 * (Math.log(2 * Math.PI) + lv1 + z * z);
    double logQ = -0.5 * (Math.log(2 * Math.PI) + lv2 + fromMean2 * fromMean2 * Math.exp(-lv2));
    return logP - logQ;
  }

  /**
   * ∫ p log(p/q) dx by quadrature in z = (x − μ₁)/σ₁ over [−12, 12]: beyond, p holds 3.6e-33 of
   * its mass and the integrand grows only quadratically, below 1e-30 M.
   */
  static double klByQuadrature(double m1, double lv1, double m2, double lv2) {
    return Quadrature.integrate(
        z -> Quadrature.density(z) * logRatio(z, m1, lv1, m2, lv2), -12, 12);
  }

  private static double[] klOf(DiffusionImplementation impl, Tensor m1, Tensor lv1, Tensor m2,
      Tensor lv2) {
    return Ask.perSample(impl, new Requests.Kl(m1, lv1, m2, lv2), m1.batch());
  }

  /** Σ of M over the coordinates of batch element b. */
  private static double magnitudeOf(int b, Tensor m1, Tensor lv1, Tensor m2, Tensor lv2) {
    int per = m1.perSample();
    double sum = 0;
    for (int i = b * per; i < (b + 1) * per; i++) {
      sum += magnitude(m1.data()[i], lv1.data()[i], m2.data()[i], lv2.data()[i]);
    }
    return sum;
  }

  static Rule integration() {
    return CaseRule.of(new RuleInfo("KL-1",
            "The KL answer for diagonal Gaussians equals the integral of p log(p/q) over each "
                + "coordinate, summed over the coordinates of a batch element.",
            "Ho et al. 2020, §3 (the bound's KL terms in closed form); spec/derivations/kl.md",
            "numerical integration of the definition (composite 32-point Gauss-Legendre), per "
                + "coordinate",
            Level.REQUIRED, PER_MAGNITUDE),
        12, List.of(Operation.KL), PairCase::generate, PairCase::shrinks, (impl, c, m) -> {
          Tensor m1 = c.mean(0);
          Tensor lv1 = c.logVariance(1);
          Tensor m2 = c.mean(2);
          Tensor lv2 = c.logVariance(3);
          double[] kl = klOf(impl, m1, lv1, m2, lv2);
          int per = m1.perSample();
          for (int b = 0; b < c.batch(); b++) {
            double expected = 0;
            for (int i = b * per; i < (b + 1) * per; i++) {
              expected += klByQuadrature(m1.data()[i], lv1.data()[i], m2.data()[i],
                  lv2.data()[i]);
            }
            Tolerance unit = m.tolerance();
            m.close("KL of batch element " + b, expected, kl[b], new Tolerance(
                unit.abs() * magnitudeOf(b, m1, lv1, m2, lv2), 0, unit.why()));
          }
        });
  }

  static Rule gibbs() {
    double[] shifts = {0.01, 0.1, 1};
    double[] logRatios = {-2, -0.5, -0.01, 0.01, 0.5, 2};
    return CaseRule.of(new RuleInfo("KL-2",
            "KL >= 0 for every pair of Gaussians, 0 (to rounding) for identical ones, and at "
                + "least m^2/2 per coordinate for means m sigma apart (m = 0.01, 0.1, 1) and at "
                + "least (e^d - 1 - d)/2 per coordinate for log-variances d apart (|d| = 0.01, "
                + "0.5, 2).",
            "Gibbs' inequality; Ho et al. 2020, §3; spec/derivations/kl.md",
            "exact lower bounds: each part of the per-coordinate KL is non-negative",
            Level.REQUIRED, new Tolerances(
                new Tolerance(1e-15, 0, "per unit of the terms' size M: a true 0 comes out "
                    + "within four roundings of M"),
                new Tolerance(5e-7, 0, "float32, per unit of M: four roundings of 6e-8"))),
        10, List.of(Operation.KL), PairCase::generate, PairCase::shrinks, (impl, c, m) -> {
          requireNonNegative(impl, c, m);
          for (double shift : shifts) {
            requireMeanShiftBound(impl, c, m, shift);
          }
          for (double d : logRatios) {
            requireLogVarianceShiftBound(impl, c, m, d);
          }
        });
  }

  /** KL-2: KL ≥ 0 for the case's pair, and 0 to rounding for the first Gaussian with itself. */
  private static void requireNonNegative(DiffusionImplementation impl, PairCase c,
      Measurement m) {
    Tensor m1 = c.mean(0);
    Tensor lv1 = c.logVariance(1);
    Tensor m2 = c.mean(2);
    Tensor lv2 = c.logVariance(3);
    double unit = m.tolerance().abs();
    double[] any = klOf(impl, m1, lv1, m2, lv2);
    double[] same = klOf(impl, m1, lv1, m1, lv1);
    for (int b = 0; b < c.batch(); b++) {
      double slack = unit * magnitudeOf(b, m1, lv1, m2, lv2);
      double slackSame = unit * magnitudeOf(b, m1, lv1, m1, lv1);
      int bb = b;
      m.require(any[b] >= -slack, "KL >= 0 (batch element " + b + ")",
          () -> "KL = " + any[bb] + ", allowed down to " + -slack);
      m.close("KL of identical Gaussians (batch element " + b + ")", 0, same[b],
          new Tolerance(slackSame, 0, m.tolerance().why()));
    }
  }

  /** KL-2: means {@code shift} σ apart, equal variances: KL ≥ Σ d²/(2σ²) = m²/2 per coordinate. */
  private static void requireMeanShiftBound(DiffusionImplementation impl, PairCase c,
      Measurement m, double shift) {
    Tensor m1 = c.mean(0);
    Tensor lv1 = c.logVariance(1);
    double[] moved = m1.data().clone();
    for (int i = 0; i < moved.length; i++) {
      moved[i] += shift * Math.exp(0.5 * lv1.data()[i]);
    }
    requireLowerBound(impl, c, m, "KL for means " + shift + " sigma apart", m1.withData(moved), lv1,
        i -> {
          double d = moved[i] - m1.data()[i];
          return 0.5 * d * d * Math.exp(-lv1.data()[i]);
        });
  }

  /** KL-2: equal means, log-variances d apart: KL ≥ Σ (e^δ − 1 − δ)/2 per coordinate. */
  private static void requireLogVarianceShiftBound(DiffusionImplementation impl, PairCase c,
      Measurement m, double d) {
    Tensor lv1 = c.logVariance(1);
    double[] other = lv1.data().clone();
    for (int i = 0; i < other.length; i++) {
      other[i] -= d;
    }
    requireLowerBound(impl, c, m, "KL for log-variances " + d + " apart", c.mean(0),
        lv1.withData(other), i -> {
          double delta = lv1.data()[i] - other[i];
          return 0.5 * (Math.expm1(delta) - delta);
        });
  }

  /**
   * KL(N(m1, lv1) || N(m2, lv2)) of each batch element ≥ Σ_i bound(i) over its coordinates, to
   * the rule's per-unit slack times the terms' size.
   */
  private static void requireLowerBound(DiffusionImplementation impl, PairCase c, Measurement m,
      String what, Tensor m2, Tensor lv2, IntToDoubleFunction bound) {
    Tensor m1 = c.mean(0);
    Tensor lv1 = c.logVariance(1);
    int per = m1.perSample();
    double[] kl = klOf(impl, m1, lv1, m2, lv2);
    for (int b = 0; b < c.batch(); b++) {
      double sum = 0;
      for (int i = b * per; i < (b + 1) * per; i++) {
        sum += bound.applyAsDouble(i);
      }
      requireAtLeast(m, what, b, kl[b], sum,
          m.tolerance().abs() * magnitudeOf(b, m1, lv1, m2, lv2));
    }
  }

  private static void requireAtLeast(Measurement m, String what, int b, double kl, double bound,
      double slack) {
    m.require(kl >= bound - slack, what + " (batch element " + b + ") >= " + bound,
        () -> "KL = " + kl + ", below the bound by " + (bound - kl) + " > allowed " + slack);
  }

  /** The four Gaussian pairs of KL-3: (μ₁, lv₁, μ₂, lv₂). */
  private static final double[][] PAIRS = {
    {0.5, -1, -0.3, -1}, {0, 0.5, 0, -0.7}, {1, -2, 0, 0}, {2, 1, -1, 1.5}};

  static Rule monteCarlo() {
    double alpha = Statistics.FALSE_ALARM / 2;
    double zBound = Statistics.z(alpha);
    double chiBound = Statistics.varianceRatioBound(N + 1, alpha);
    return CaseRule.of(new RuleInfo("KL-3",
            "The KL answer agrees with the Monte Carlo average of log p(x) - log q(x) over "
                + N + " draws x ~ p, for four pairs of one-dimensional Gaussians (KL 0.56 to "
                + "1.07 nats).",
            "the definition KL = E_p[log p - log q]; spec/derivations/kl.md",
            "Monte Carlo with portable noise z: x = mu1 + sigma1 z; the estimate differs from "
                + "the KL by a (mean z^2 - 1) + b mean z exactly, a = (r - 1)/2, "
                + "b = (mu1 - mu2) sigma1 / sigma2^2, r = sigma1^2/sigma2^2",
            Level.STATISTICAL, Tolerances.both(new Tolerance(1, 0,
                "in units of the bound |a| " + (float) chiBound + " + |b| " + (float) zBound
                    + " / sqrt(n), from the exact chi-square (n dof) and normal laws of "
                    + "mean z^2 and mean z, false-alarm 1e-6 split over the two (the same draws "
                    + "serve all pairs), plus KL-1's rounding allowance; for these pairs an "
                    + "error of 5% of the KL is detected"))),
        1, List.of(Operation.KL), (r, d) -> r.nextLong(), seed -> List.of(), (impl, seed, m) -> {
          double[] z = Gen.normal(seed, 0, new long[] {N}).data();
          double meanZ = Statistics.mean(z);
          long[] shape = {PAIRS.length, 1};
          double[][] cols = new double[4][PAIRS.length];
          for (int p = 0; p < PAIRS.length; p++) {
            for (int k = 0; k < 4; k++) {
              cols[k][p] = PAIRS[p][k];
            }
          }
          double[] kl = klOf(impl, new Tensor(shape, cols[0]), new Tensor(shape, cols[1]),
              new Tensor(shape, cols[2]), new Tensor(shape, cols[3]));
          double unit = PER_MAGNITUDE.of(impl.declaration().dtype()).abs();
          for (int p = 0; p < PAIRS.length; p++) {
            double[] g = PAIRS[p];
            double sum = 0;
            for (double zj : z) {
              sum += logRatio(zj, g[0], g[1], g[2], g[3]);
            }
            double estimate = sum / N;
            double r = Math.exp(g[1] - g[3]);
            double b = (g[0] - g[2]) * Math.exp(0.5 * g[1] - g[3]);
            double mag = magnitude(g[0], g[1], g[2], g[3]);
            // the rule's own sum of N terms of size ~M: below N * 1.1e-16 * M = 1.1e-11 M
            double bound = Math.abs(r - 1) / 2 * chiBound + Math.abs(b) * zBound / Math.sqrt(N)
                + (unit + 1e-10) * mag;
            m.close("pair " + p + " " + Arrays.toString(g) + ": KL - estimate in units of the "
                + "bound " + (float) bound + " (mean z = " + (float) meanZ + ")", 0,
                (kl[p] - estimate) / bound);
          }
        });
  }

  /**
   * The coefficients of one step t → t − 1: a = √ᾱ_t, b = √(1 − ᾱ_t), the posterior mean's c0 (of
   * x_0) and ct (of x_t), and β̃_t, all from 50-digit ᾱ.
   */
  record Step(double a, double b, double c0, double ct, double betaTilde) {
    /**
     * {@code unit} for the step term at t on a schedule with these β's: the relative part scaled
     * by {@link #ARGUED_BETA} / min(β_1, β_t) where that is above 1 (the log-SNR schedule of
     * ELBO-4 has β_2 = 1.9e-6).
     */
    static Tolerance unit(Tolerance unit, double[] beta, int t) {
      double least = Math.min(beta[1], beta[t]);
      return least >= ARGUED_BETA ? unit
          : new Tolerance(unit.abs(), unit.rel() * ARGUED_BETA / least, unit.why());
    }

    static Step of(HighPrecision hp, int t) {
      double[] g = PosteriorRules.gaussianProduct(hp, t, t - 1);
      return new Step(Math.sqrt(hp.alphaBar(t)), Math.sqrt(hp.oneMinusAlphaBar(t)), g[0], g[1],
          g[2]);
    }

    /**
     * What STEP_TERM may be off by at one batch element (coordinates from..to−1) whose exact value
     * is {@code expected}, under a tolerance {@code unit} (abs U per rounding scale, rel for the
     * coefficients): each of the two posterior means and x̂_0 = (x_t − b ε_θ)/a round at the scale
     * s = |ct x_t| + c0 |x_0| + c0 (|x_t| + b |ε_θ|)/a, so the mean difference Δμ = c0 (x_0 − x̂_0)
     * is off by U s and (Δμ)²/(2σ²) by (|Δμ| U s + (U s)²/2)/σ²; the variance part ½(r − 1 − log
     * r), r = β̃_t/σ², cancels to U per coordinate and moves by ½|r − 1| rel.
     */
    double allowance(Tolerance unit, double expected, double sigma2, double r, double[] x0,
        double[] xt, double[] epsTheta, int from, int to) {
      double allowed = unit.rel() * Math.abs(expected);
      for (int i = from; i < to; i++) {
        double s = Math.abs(ct * xt[i]) + c0 * Math.abs(x0[i])
            + c0 * (Math.abs(xt[i]) + b * Math.abs(epsTheta[i])) / a;
        double dMu = c0 * Math.abs(x0[i] - (xt[i] - b * epsTheta[i]) / a);
        double us = unit.abs() * s;
        allowed += (dMu * us + 0.5 * us * us) / sigma2 + unit.abs() + 0.5 * Math.abs(r - 1)
            * unit.rel();
      }
      return allowed;
    }
  }

  /** A case with 2 ≤ t ≤ T on a schedule where some t ≥ 2 has alphaBar_t > 0. */
  private static TensorCase stepCase(SplittableRandom r, Declaration d) {
    TensorCase c = TensorCase.generate(r, d, 2);
    ScheduleSpec spec = c.schedule();
    int minT = spec.zeroTerminalSnr() ? 3 : 2;
    if (spec.steps() < minT) {
      ScheduleSpec longer = Gen.schedule(r, d, spec.kind(), minT);
      spec = spec.zeroTerminalSnr() ? longer.withZeroTerminalSnr() : longer;
    }
    int[] t = c.t().clone();
    for (int b = 0; b < t.length; b++) {
      t[b] = Math.max(2, t[b]);
    }
    return new TensorCase(spec, c.shape(), t, c.s(), c.seed());
  }

  /**
   * The case's timesteps, each lowered to the last t with alphaBar_t > 0 in the implementation's
   * table (t = T under zero terminal SNR has alphaBar_T = 0, where eps-prediction is undefined).
   */
  private static int[] definedTimesteps(int[] t, HighPrecision hp) {
    int last = hp.T();
    while (last > 2 && hp.alphaBar(last) == 0) {
      last--;
    }
    int[] out = t.clone();
    for (int b = 0; b < out.length; b++) {
      out[b] = Math.min(out[b], last);
    }
    return out;
  }

  static Rule simpleLossWeight() {
    return CaseRule.of(new RuleInfo("KL-4",
            "For eps-prediction with a fixed variance, the step term L_{t-1} at x_t = "
                + "sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps equals beta_t^2 / (2 sigma_t^2 "
                + "alpha_t (1 - alphaBar_t)) ||eps - eps_theta||^2 + C_t for any model output "
                + "eps_theta, with C_t = 0 for sigma_t^2 = betaTilde_t (fixed small) and C_t = "
                + "D/2 (r - 1 - log r), r = betaTilde_t / beta_t, for sigma_t^2 = beta_t (fixed "
                + "large).",
            "Ho et al. 2020, eqs. 8 and 12; spec/derivations/simple-loss.md",
            "the weight and C_t from 50-digit alphaBar and the implementation's betas; "
                + "eps_theta arbitrary and within 1e-3 of eps; tolerance scaled by the rounding "
                + "of the posterior means each element involves",
            Level.REQUIRED, STEP_TERM),
        15, List.of(Operation.SCHEDULE, Operation.STEP_TERM), KlRules::stepCase,
        c -> c.shrinks().stream().filter(k -> k.t()[0] >= 2).toList(),
        KlRules::checkSimpleLossWeight)
        .when(d -> d.predictions().contains(Prediction.EPSILON), "eps-prediction not declared")
        .when(d -> d.varianceChoices().contains(VarianceChoice.FIXED_SMALL)
            || d.varianceChoices().contains(VarianceChoice.FIXED_LARGE),
            "no fixed variance choice declared");
  }

  /**
   * KL-4: x_t from q(x_t | x_0) with the case's ε; for each declared fixed variance, an arbitrary
   * ε_θ and one within 1e-3 of ε.
   */
  private static void checkSimpleLossWeight(DiffusionImplementation impl, TensorCase c,
      Measurement m) {
    double[] beta = Ask.schedule(impl, c.schedule()).beta();
    HighPrecision hp = new HighPrecision(beta);
    int[] ts = definedTimesteps(c.t(), hp);
    Tensor x0 = c.normal(0);
    Tensor eps = c.normal(1);
    Tensor z = c.normal(2);
    int per = x0.perSample();
    Step[] steps = new Step[c.batch()];
    for (int b = 0; b < c.batch(); b++) {
      steps[b] = Step.of(hp, ts[b]);
    }
    double[] xt = new double[x0.data().length];
    double[] near = new double[xt.length];
    for (int i = 0; i < xt.length; i++) {
      Step st = steps[i / per];
      xt[i] = st.a() * x0.data()[i] + st.b() * eps.data()[i];
      near[i] = eps.data()[i] + 1e-3 * z.data()[i];
    }
    for (VarianceChoice choice : List.of(VarianceChoice.FIXED_SMALL,
        VarianceChoice.FIXED_LARGE)) {
      if (!impl.declaration().varianceChoices().contains(choice)) {
        continue;
      }
      for (Tensor epsTheta : List.of(z, x0.withData(near))) {
        double[] term = Ask.perSample(impl, new Requests.StepTerm(c.schedule(), choice,
            Prediction.EPSILON, x0, x0.withData(xt), ts, epsTheta, null), c.batch());
        String kind = epsTheta == z ? "arbitrary" : "near";
        for (int b = 0; b < c.batch(); b++) {
          closeWeightedTerm(m, hp, beta, ts[b], steps[b], choice, kind, b, term[b], x0, xt, eps,
              epsTheta);
        }
      }
    }
  }

  /**
   * KL-4 at batch element b: L_{t−1} = w ||ε − ε_θ||² + C_t, w = β_t²/(2σ_t² α_t (1 − ᾱ_t)),
   * C_t = D/2 (r − 1 − log r), r = β̃_t/σ_t² (Ho et al. 2020, eqs. 8 and 12).
   */
  private static void closeWeightedTerm(Measurement m, HighPrecision hp, double[] beta, int t,
      Step st, VarianceChoice choice, String kind, int b, double observed, Tensor x0, double[] xt,
      Tensor eps, Tensor epsTheta) {
    int per = x0.perSample();
    double sigma2 = choice == VarianceChoice.FIXED_SMALL ? st.betaTilde() : beta[t];
    double logR = Math.log(st.betaTilde() / sigma2);
    double squared = 0;
    for (int i = b * per; i < (b + 1) * per; i++) {
      double d = eps.data()[i] - epsTheta.data()[i];
      squared += d * d;
    }
    double w = beta[t] * beta[t]
        / (2 * sigma2 * hp.alphaBarRatio(t, t - 1) * hp.oneMinusAlphaBar(t));
    double expected = w * squared + 0.5 * per * (Math.expm1(logR) - logR);
    double allowed = st.allowance(Step.unit(m.tolerance(), beta, t), expected, sigma2,
        Math.exp(logR), x0.data(), xt, epsTheta.data(), b * per, (b + 1) * per);
    m.close("L_" + (t - 1) + " (" + choice + ", " + kind + " eps_theta) of batch element " + b,
        expected, observed, new Tolerance(allowed, 0, m.tolerance().why()));
  }
}
