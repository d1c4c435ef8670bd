package org.diffusiontck.checks.rules.catalogue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.LinearEndpoints;
import org.diffusiontck.checks.impl.NormalCdf;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.diffusiontck.checks.rules.Ask;
import org.diffusiontck.checks.rules.CaseRule;
import org.diffusiontck.checks.rules.DecoderBins;
import org.diffusiontck.checks.rules.GaussianOracle;
import org.diffusiontck.checks.rules.Gen;
import org.diffusiontck.checks.rules.HighPrecision;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.Measurement;
import org.diffusiontck.checks.rules.Quadrature;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.Statistics;
import org.diffusiontck.checks.rules.TanhNormalCdf;
import org.diffusiontck.checks.rules.TensorCase;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;

/**
 * ELBO: the terms of the variational bound −log p_θ(x_0) ≤ L_T + Σ_{t=2}^{T} L_{t−1} + L_0 (Ho et
 * al. 2020, eq. 5): the discretized decoder L_0, the prior term L_T, the whole bound by Monte
 * Carlo, and the bound for Gaussian data with the exact model.
 */
final class ElboRules {
  private ElboRules() {}

  /** The 8-bit levels of the decoder. */
  private static final int LEVELS = 256;


  /** The sum of the 256 bin probabilities, per dtype. */
  private static final Tolerances BIN_SUM = new Tolerances(
      new Tolerance(3e-10, 0, "the bins partition the line and adjacent bins share their edge, "
          + "so a sum of CDF differences telescopes to 1: each difference rounds by 2 ulps of 1, "
          + "exp(-NLL) by 28 ulps relative, 256 bins: 2e-13; a floor of 1e-12 on each bin's "
          + "mass, where applied, adds at most 256e-12: 3e-10"),
      new Tolerance(5e-5, 0, "float32: 256 differences of 2 roundings of 6e-8: 3e-5; 5e-5"));

  /** L_T per coordinate (abs) and relative. */
  private static final Tolerances PRIOR = new Tolerances(
      new Tolerance(1e-11, 2e-13, "abs per coordinate: alphaBar_T off by a few T eps relative "
          + "moves log(1 - alphaBar_T) by a few T eps SNR(T) <~ a few eps / beta-mean; a naive "
          + "1 - alphaBar_T costs eps / (1 - alphaBar_T) <= 2.7e-12: 1e-11; rel: the product "
          + "alphaBar_T of up to 1000 factors (1.1e-13) and the sum of D non-negative terms; "
          + "within a coordinate alphaBar_T (x^2 - 1) and -log(1 - alphaBar_T) cancel where "
          + "alphaBar_T is small: there a relative error d in alphaBar_T moves the term by d "
          + "alphaBar_T (x^2 + alphaBar_T / (1 - alphaBar_T)) / 2, which exceeds d times the term "
          + "by d (alphaBar_T^2 / (1 - alphaBar_T) + alphaBar_T + log(1 - alphaBar_T)) / 2 < d "
          + "alphaBar_T^2 (alphaBar_T <= 1/2), within the absolute part, as are the cancelling "
          + "terms' own roundings (eps alphaBar_T); near alphaBar_T = 1 nothing cancels"),
      new Tolerance(3e-3, 2e-4, "float32: a naive 1 - alphaBar_T loses 6e-8 / 4.1e-5 = 1.5e-3 "
          + "per coordinate; alphaBar_T of 1000 float32 factors: 2e-4 relative (SCHED-1)"));

  static List<Rule> all() {
    return List.of(decoder(), prior(), monteCarloBound(), gaussianOracle());
  }

  // ELBO-1 ------------------------------------------------------------------------------------

  /** One Gaussian N(mean, e^{logVariance}) of the decoder. */
  record DecoderCase(double mean, double logVariance) {
    static DecoderCase generate(SplittableRandom r, Declaration d) {
      int k = r.nextInt(LEVELS);
      double mean = switch (r.nextInt(4)) {
        case 0 -> -1.3 + 2.6 * r.nextDouble();
        case 1 -> k / 127.5 - 1; // on a data value
        case 2 -> (2.0 * k + 1) / 255 - 1; // on a bin edge
        default -> r.nextBoolean() ? 1.0 : -1.0;
      };
      double logSigma = Math.log(1e-4) + (Math.log(3) - Math.log(1e-4)) * r.nextDouble();
      return new DecoderCase(mean, 2 * logSigma);
    }

    @Override
    public String toString() {
      return "{mean: " + mean + ", logVariance: " + logVariance + " (sigma "
          + Math.exp(0.5 * logVariance) + ")}";
    }
  }

  static Rule decoder() {
    return CaseRule.of(new RuleInfo("ELBO-1",
            "The discretized decoder's probabilities exp(-NLL) of the 256 data values k/127.5 - 1 "
                + "sum to 1, and each equals the Gaussian's mass on its bin of width 2/255 (the "
                + "edge bins open-ended) under the declared normal CDF; a floor of 1e-12 on a "
                + "bin's mass is accepted.",
            "Ho et al. 2020, eq. 13; spec/derivations/elbo.md",
            "EXACT: quadrature of the Gaussian density over each bin; TANH_APPROXIMATION: "
                + "0.5 (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))) at the bin's edges",
            Level.REQUIRED, DecoderBins.TOLERANCES),
        20, List.of(Operation.DECODER_NLL), DecoderCase::generate, c -> List.of(),
        (impl, c, m) -> {
          long[] shape = {LEVELS, 1};
          double[] x0 = new double[LEVELS];
          for (int k = 0; k < LEVELS; k++) {
            x0[k] = k / 127.5 - 1;
          }
          double[] mean = new double[LEVELS];
          double[] logVariance = new double[LEVELS];
          Arrays.fill(mean, c.mean());
          Arrays.fill(logVariance, c.logVariance());
          double[] nll = Ask.perSample(impl, new Requests.DecoderNll(new Tensor(shape, x0),
              new Tensor(shape, mean), new Tensor(shape, logVariance)), LEVELS);
          boolean exact = impl.declaration().conventions().decoderCdf() == NormalCdf.EXACT;
          double sigma = Math.exp(0.5 * c.logVariance());
          Tolerance unit = m.tolerance();
          Tolerance bin = new Tolerance(unit.abs() * DecoderBins.kappa(c.mean(), sigma),
              unit.rel(), unit.why());
          double sum = 0;
          double compensation = 0;
          for (int k = 0; k < LEVELS; k++) {
            double lower = k == 0 ? Double.NEGATIVE_INFINITY : (2.0 * k - 1) / 255 - 1;
            double upper = k == LEVELS - 1 ? Double.POSITIVE_INFINITY : (2.0 * k + 1) / 255 - 1;
            double a = (lower - c.mean()) / sigma;
            double b = (upper - c.mean()) / sigma;
            double expected = exact ? Quadrature.normalMass(a, b) : TanhNormalCdf.mass(a, b);
            double observed = Math.exp(-nll[k]);
            String what = "P(x_0 = " + k + "/127.5 - 1)";
            if (expected >= DecoderBins.FLOOR) {
              m.close(what, expected, observed, bin);
            } else {
              double floor = DecoderBins.FLOOR;
              m.require(observed >= expected - bin.allowed(expected)
                      && observed <= floor + bin.allowed(floor), what + " below the floor 1e-12",
                  () -> "expected " + expected + " (or the floor " + floor + "), observed "
                      + observed);
            }
            double next = sum + observed;
            compensation += Math.abs(sum) >= observed ? (sum - next) + observed
                : (observed - next) + sum;
            sum = next;
          }
          m.close("sum of the 256 bin probabilities", 1, sum + compensation,
              BIN_SUM.of(impl.declaration().dtype()));
        });
  }

  // ELBO-2 ------------------------------------------------------------------------------------

  static Rule prior() {
    return CaseRule.of(new RuleInfo("ELBO-2",
            "The prior term L_T = KL(q(x_T | x_0) || N(0, I)) equals 1/2 sum over coordinates "
                + "of (alphaBar_T x_0^2 + (1 - alphaBar_T) - 1 - log(1 - alphaBar_T)), which "
                + "vanishes as alphaBar_T -> 0: exactly 0 under zero terminal SNR.",
            "Ho et al. 2020, eqs. 4-5; Lin et al. 2024 (zero terminal SNR); "
                + "spec/derivations/elbo.md",
            "the closed form with 50-digit alphaBar_T and 1 - alphaBar_T from the "
                + "implementation's betas",
            Level.REQUIRED, PRIOR),
        20, List.of(Operation.SCHEDULE, Operation.PRIOR_TERM),
        (r, d) -> TensorCase.generate(r, d, 1), TensorCase::shrinks, (impl, c, m) -> {
          HighPrecision hp = new HighPrecision(Ask.schedule(impl, c.schedule()).beta());
          int T = c.schedule().steps();
          Tensor x0 = c.normal(0);
          double[] prior = Ask.perSample(impl, new Requests.PriorTerm(c.schedule(), x0),
              c.batch());
          int per = x0.perSample();
          for (int b = 0; b < c.batch(); b++) {
            String what = "L_T of batch element " + b + " (T = " + T + ")";
            if (c.schedule().zeroTerminalSnr()) {
              double observed = prior[b];
              m.require(observed == 0.0, what + " = 0 exactly under zero terminal SNR",
                  () -> "observed " + observed);
              continue;
            }
            double expected = priorTerm(hp, x0.data(), b * per, (b + 1) * per);
            Tolerance unit = m.tolerance();
            m.close(what, expected, prior[b],
                new Tolerance(unit.abs() * per, unit.rel(), unit.why()));
          }
        });
  }

  /** ½ Σ_i (ᾱ_T (x_i² − 1) − log(1 − ᾱ_T)) over x[from..to). */
  private static double priorTerm(HighPrecision hp, double[] x, int from, int to) {
    double alphaBar = hp.alphaBar(hp.T());
    double logVariance = Math.log(hp.oneMinusAlphaBar(hp.T()));
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += 0.5 * (alphaBar * (x[i] * x[i] - 1) - logVariance);
    }
    return sum;
  }

  // ELBO-3 ------------------------------------------------------------------------------------

  /** Trajectories of ELBO-3, their dimension, and their length T. */
  static final int TRAJECTORIES = 2_000;
  private static final int DIM = 4;
  private static final int SHORT_T = 6;

  /** log N(x; μ, v). */
  private static double logNormal(double x, double mean, double variance) {
    double d = x - mean;
    return -0.5 * (Math.log(2 * Math.PI * variance) + d * d / variance);
  }

  /** A case of ELBO-3: a short schedule and the seed of its noise. */
  record ChainCase(ScheduleSpec schedule, long seed) {
    static ChainCase generate(SplittableRandom r, Declaration d) {
      List<ScheduleKind> kinds = new ArrayList<>(d.schedules());
      kinds.sort(null);
      ScheduleSpec spec = d.schedules().contains(ScheduleKind.COSINE)
          ? ScheduleSpec.cosine(SHORT_T, 0.008, 0.999)
          : Gen.schedule(r, d, kinds.get(0), SHORT_T);
      return new ChainCase(spec, r.nextLong());
    }

    @Override
    public String toString() {
      return "{schedule: " + schedule + ", tensor seed: " + seed + "}";
    }
  }

  /** The model's variance output for ELBO-3 at x_t: a smooth function of x_t per choice. */
  private static Tensor chainVarianceOutput(VarianceChoice choice, Tensor xt, double betaT) {
    if (!choice.learned()) {
      return null;
    }
    double[] y = new double[xt.data().length];
    for (int i = 0; i < y.length; i++) {
      double s = Math.tanh(xt.data()[i]);
      double logVariance = Math.log(betaT) - 0.5 + 0.3 * s;
      y[i] = switch (choice) {
        case LEARNED_LOG_VARIANCE -> logVariance;
        case LEARNED_VARIANCE -> Math.exp(logVariance);
        default -> 0.8 * s;
      };
    }
    return xt.withData(y);
  }

  private static int[] fill(int n, int v) {
    int[] a = new int[n];
    Arrays.fill(a, v);
    return a;
  }

  static Rule monteCarloBound() {
    return CaseRule.of(new RuleInfo("ELBO-3",
            "For a fixed model on a T = " + SHORT_T + " schedule (the shortest valid one "
                + "above it where the declaration defines no such schedule), the average over trajectories "
                + "x_{1:T} ~ q(. | x_0) of log q(x_{1:T} | x_0) - log p(x_T) - sum_{t>=2} log "
                + "p_theta(x_{t-1} | x_t), with p_theta read off the implementation's DDPM step, "
                + "equals L_T + sum_{t>=2} L_{t-1}(x_t) from its prior and step terms, for every "
                + "declared variance choice (L_0 = -log p_theta(x_0 | x_1) is the same decoder "
                + "answer on both sides and cancels).",
            "Ho et al. 2020, eq. 5 and its derivation (Appendix A); spec/derivations/elbo.md",
            "Monte Carlo over " + TRAJECTORIES + " trajectories from the implementation's "
                + "forward samples; q's densities from 50-digit alphaBar; p_theta's mean and "
                + "standard deviation from DDPM steps with zero and unit noise; the model's "
                + "x0_hat = x_0 + 0.3 sqrt(1 - alphaBar_t) (zeta + tanh(x_t)) for a fixed "
                + "normal zeta, as eps_theta",
            Level.STATISTICAL, Tolerances.both(new Tolerance(Statistics.z(1e-7 / 5), 0,
                "CLT on the per-trajectory difference (each trajectory's terms are its own "
                    + "control variate): |mean| <= z(1e-7 / k) standard errors for k declared "
                    + "choices; the factor 10 left of the 1e-6 budget covers the normal "
                    + "approximation's skewness correction, at most exp(|skewness| z^3 / (6 "
                    + "sqrt n)) = 1.75 on one tail for the observed |skewness| <= 0.85 at n = "
                    + TRAJECTORIES + ", and the sample standard deviation's error; on the "
                    + "cosine schedule the standard errors are at most 0.04 nats: an error of "
                    + "0.25 nats in the sum of the terms is detected"))),
        1, List.of(Operation.SCHEDULE, Operation.FORWARD_SAMPLE, Operation.PRIOR_TERM,
            Operation.STEP_TERM, Operation.DDPM_STEP), ChainCase::generate, c -> List.of(),
        ElboRules::checkChain)
        .when(d -> d.predictions().contains(Prediction.EPSILON), "eps-prediction not declared")
        .when(Declaration::samplesForwardFromAnyStep, Declaration.FORWARD_FROM_DATA_ONLY);
  }

  private static void checkChain(DiffusionImplementation impl, ChainCase c, Measurement m) {
    ScheduleSpec spec = c.schedule();
    int T = spec.steps();
    double[] beta = Ask.schedule(impl, spec).beta();
    HighPrecision hp = new HighPrecision(beta);
    Chain chain = Chain.sample(impl, spec, hp, c.seed());
    double prior = Ask.perSample(impl,
        new Requests.PriorTerm(spec, new Tensor(new long[] {1, DIM}, chain.x0())), 1)[0];
    List<VarianceChoice> choices = new ArrayList<>(impl.declaration().varianceChoices());
    choices.sort(null);
    double z = Statistics.z(1e-7 / choices.size());
    for (VarianceChoice choice : choices) {
      double[] diff = new double[TRAJECTORIES];
      for (int j = 0; j < TRAJECTORIES; j++) {
        diff[j] = chain.logRatio()[j] - prior;
      }
      for (int t = 2; t <= T; t++) {
        if (!subtractStep(impl, spec, hp, beta[t], chain, choice, t, diff, m)) {
          return;
        }
      }
      double se = Math.sqrt(Statistics.variance(diff) / TRAJECTORIES);
      m.close("(Monte Carlo bound - L_T - sum of L_{t-1}) / standard error (" + choice + ", "
          + "standard error " + (float) se + " nats, skewness " + (float) skewness(diff) + ")", 0,
          Statistics.mean(diff) / se, new Tolerance(z, 0, m.tolerance().why()));
    }
  }

  /**
   * ELBO-3's trajectories x_{0:T} [n, DIM] from the implementation's forward samples, x_0 fixed,
   * with log q(x_{1:T} | x_0) − log p(x_T) per trajectory; ζ is the fixed model's offset.
   */
  private record Chain(double[] x0, double[] zeta, Tensor x0All, Tensor[] x,
      double[] logRatio) {
    static Chain sample(DiffusionImplementation impl, ScheduleSpec spec, HighPrecision hp,
        long seed) {
      int n = TRAJECTORIES;
      long[] shape = {n, DIM};
      double[] x0 = Gen.normal(seed, 0, new long[] {1, DIM}).data();
      double[] zeta = Gen.normal(seed, 1, new long[] {1, DIM}).data();
      double[] all = new double[n * DIM];
      for (int i = 0; i < all.length; i++) {
        all[i] = x0[i % DIM];
      }
      int T = spec.steps();
      Tensor[] x = new Tensor[T + 1];
      x[0] = new Tensor(shape, all);
      double[] logRatio = new double[n];
      for (int t = 1; t <= T; t++) {
        x[t] = Ask.forwardSample(impl, spec, x[t - 1], fill(n, t - 1), fill(n, t),
            Gen.normal(seed, 1 + t, shape));
        double sqrtAlpha = Math.sqrt(hp.alphaBarRatio(t, t - 1));
        double variance = hp.betaBetween(t, t - 1);
        for (int i = 0; i < all.length; i++) {
          logRatio[i / DIM] += logNormal(x[t].data()[i], sqrtAlpha * x[t - 1].data()[i],
              variance);
        }
      }
      for (int i = 0; i < all.length; i++) {
        logRatio[i / DIM] -= logNormal(x[T].data()[i], 0, 1);
      }
      return new Chain(x0, zeta, x[0], x, logRatio);
    }

    /** The fixed model's ε_θ at step t: x̂_0 = x_0 + 0.3 √(1 − ᾱ_t)(ζ + tanh x_t), as ε. */
    Tensor model(HighPrecision hp, int t) {
      double a = Math.sqrt(hp.alphaBar(t));
      double b = Math.sqrt(hp.oneMinusAlphaBar(t));
      double[] eps = new double[x[t].data().length];
      for (int i = 0; i < eps.length; i++) {
        double xt = x[t].data()[i];
        eps[i] = (xt - a * x0[i % DIM]) / b - 0.3 * a * (zeta[i % DIM] + Math.tanh(xt));
      }
      return x[t].withData(eps);
    }
  }

  /**
   * Subtracts, per trajectory, −log p_θ(x_{t−1} | x_t) (its mean and standard deviation read off
   * DDPM steps with zero and unit noise) and the implementation's L_{t−1}(x_t) from {@code diff};
   * false (and a failure) if a step ignores its noise.
   */
  private static boolean subtractStep(DiffusionImplementation impl, ScheduleSpec spec,
      HighPrecision hp, double betaT, Chain chain, VarianceChoice choice, int t, double[] diff,
      Measurement m) {
    int n = TRAJECTORIES;
    long[] shape = {n, DIM};
    Tensor[] x = chain.x();
    Tensor model = chain.model(hp, t);
    Tensor variance = chainVarianceOutput(choice, x[t], betaT);
    double[] ones = new double[n * DIM];
    Arrays.fill(ones, 1.0);
    Tensor mean = Ask.tensor(impl, new Requests.DdpmStep(spec, Prediction.EPSILON,
        choice, Clipping.NONE, x[t], t, t - 1, model, variance,
        new Tensor(shape, new double[n * DIM])), shape);
    Tensor moved = Ask.tensor(impl, new Requests.DdpmStep(spec, Prediction.EPSILON,
        choice, Clipping.NONE, x[t], t, t - 1, model, variance, new Tensor(shape, ones)), shape);
    double[] term = Ask.perSample(impl, new Requests.StepTerm(spec, choice,
        Prediction.EPSILON, chain.x0All(), x[t], fill(n, t), model, variance), n);
    for (int i = 0; i < n * DIM; i++) {
      double sigma = moved.data()[i] - mean.data()[i];
      if (sigma == 0) {
        m.fail("DDPM step " + t + " -> " + (t - 1) + " (" + choice + ") ignores its noise at "
            + "element " + i + ": p_theta has no variance to read");
        return false;
      }
      diff[i / DIM] -= logNormal(x[t - 1].data()[i], mean.data()[i], sigma * sigma);
    }
    for (int j = 0; j < n; j++) {
      diff[j] -= term[j];
    }
    return true;
  }

  /** The sample skewness E[(x − x̄)³] / s³, reported next to ELBO-3's normal approximation. */
  private static double skewness(double[] x) {
    double mean = Statistics.mean(x);
    double third = 0;
    for (double v : x) {
      third += (v - mean) * (v - mean) * (v - mean);
    }
    return third / x.length / Math.pow(Statistics.variance(x), 1.5);
  }

  // ELBO-4 ------------------------------------------------------------------------------------

  private static final double[] DATA_MEAN = {0.3, -0.5, 0.1};
  private static final double[] DATA_VARIANCE = {0.25, 0.04, 1.0};
  private static final int[] LENGTHS = {10, 100, 1000};

  /** The schedules of ELBO-4: explicit log-SNR-linear betas where offered, else linear. */
  record OracleCase(boolean explicit) {
    ScheduleSpec schedule(int T) {
      return explicit ? ScheduleSpec.betas(logSnrBetas(T)) : ScheduleSpec.linear(T, 1e-4, 0.02);
    }

    @Override
    public String toString() {
      return "{schedules: " + (explicit ? "log-SNR falling linearly from ln 1e4 to ln 1e-4 "
          + "(explicit betas)" : "linear 1e-4 to 0.02") + ", T = 10, 100, 1000}";
    }
  }

  /**
   * β_1..β_T with log SNR(t) falling linearly from ln 1e4 at t = 1 to ln 1e-4 at t = T (Kingma et
   * al. 2021's view of a schedule): ᾱ_t = sigmoid(λ_t), β_t = 1 − ᾱ_t/ᾱ_{t−1}.
   */
  static double[] logSnrBetas(int T) {
    double hi = Math.log(1e4);
    double[] betas = new double[T];
    double previous = 0;
    for (int t = 1; t <= T; t++) {
      double lambda = hi - 2 * hi * (t - 1) / (T - 1);
      double logAlphaBar = -Math.log1p(Math.exp(-lambda));
      betas[t - 1] = -Math.expm1(logAlphaBar - previous);
      previous = logAlphaBar;
    }
    return betas;
  }

  static Rule gaussianOracle() {
    return CaseRule.of(new RuleInfo("ELBO-4",
            "For Gaussian data x_0 ~ N(mu, s^2) (3 coordinates) and the exact model eps* = "
                + "E[eps | x_t] with fixed small variances, the implementation's expected "
                + "E[L_T] and E[L_{t-1}] (t = 2..T) equal their analytic values; with a "
                + "continuous decoder N(x_0; E[x_0 | x_1], 1 - alphaBar_1) the expected bound is "
                + ">= the exact NLL 1/2 sum log(2 pi e s^2) and the gap shrinks from T = 10 to "
                + "100 to 1000.",
            "Ho et al. 2020, eq. 5; Kingma et al. 2021 (continuous-time limit); "
                + "spec/derivations/gaussian-oracle.md",
            "analytic expectations: E[L_{t-1}] = c0^2 Var(x_0 | x_t) / (2 betaTilde_t) per "
                + "coordinate, Var(x_0 | x_t) = s^2 (1 - alphaBar_t) / (alphaBar_t s^2 + 1 - "
                + "alphaBar_t); the implementation's expectations exact from its answers at the "
                + "4D symmetric sigma points of the Gaussian (x_0, x_t) (a cubature exact for "
                + "polynomials of degree 3; each term is a quadratic in (x_0, x_t))",
            Level.REQUIRED, KlRules.STEP_TERM),
        1, List.of(Operation.SCHEDULE, Operation.PRIOR_TERM, Operation.STEP_TERM),
        (r, d) -> new OracleCase(d.schedules().contains(ScheduleKind.BETAS)), c -> List.of(),
        ElboRules::checkOracle)
        .when(d -> d.predictions().contains(Prediction.EPSILON), "eps-prediction not declared")
        .when(d -> d.varianceChoices().contains(VarianceChoice.FIXED_SMALL),
            "fixed small variance not declared")
        .when(d -> d.schedules().contains(ScheduleKind.BETAS)
                || d.schedules().contains(ScheduleKind.LINEAR)
                && d.conventions().linearEndpoints() == LinearEndpoints.FIXED,
            "needs explicit betas, or the linear schedule with fixed endpoints");
  }

  private static void checkOracle(DiffusionImplementation impl, OracleCase c, Measurement m) {
    double nll = exactNll();
    double previousGap = Double.POSITIVE_INFINITY;
    int previousT = 0;
    for (int T : LENGTHS) {
      ScheduleSpec spec = c.schedule(T);
      double[] beta = Ask.schedule(impl, spec).beta();
      HighPrecision hp = new HighPrecision(beta);
      double[] x0 = sigmaPointsX0();
      double bound = checkPriorTerm(impl, spec, hp, x0, m)
          + checkStepTerms(impl, spec, beta, hp, x0, m) + continuousDecoder(hp);
      double gap = bound - nll;
      double lastGap = previousGap;
      int lastT = previousT;
      m.require(gap >= 0, "the bound at T = " + T + " is >= the exact NLL " + nll,
          () -> "bound " + (nll + gap) + " nats");
      m.require(gap < lastGap, "the gap at T = " + T + " is below the gap at T = " + lastT,
          () -> "gap " + gap + " nats at T = " + T + ", " + lastGap + " at T = " + lastT);
      previousGap = gap;
      previousT = T;
    }
  }

  /** The data of ELBO-4: N(μ, s²) per coordinate; the exact model is its {@link GaussianOracle}. */
  private static final GaussianOracle DATA = new GaussianOracle(DATA_MEAN, sd(DATA_VARIANCE));

  private static double[] sd(double[] variance) {
    double[] sd = new double[variance.length];
    for (int i = 0; i < sd.length; i++) {
      sd[i] = Math.sqrt(variance[i]);
    }
    return sd;
  }

  /** 4 sigma points per coordinate: 4D of them, D = dim (x_0 and x_t moved together, ±). */
  private static int sigmaPoints() {
    return 4 * DATA_MEAN.length;
  }

  /** The spread √(2D) of the symmetric sigma points of a D-dimensional Gaussian. */
  private static double spread() {
    return Math.sqrt(2.0 * DATA_MEAN.length);
  }

  /**
   * x_0 at the sigma points [points, dim]: point k moves coordinate k/4 by ± spread · s when k mod
   * 4 &lt; 2 (x_0 and x_t together), else leaves x_0 at μ (x_t alone moves, in the step terms).
   */
  private static double[] sigmaPointsX0() {
    int dim = DATA_MEAN.length;
    double[] x0 = new double[sigmaPoints() * dim];
    for (int k = 0; k < sigmaPoints(); k++) {
      for (int i = 0; i < dim; i++) {
        boolean moved = k / 4 == i && (k % 4) < 2;
        x0[k * dim + i] = DATA_MEAN[i]
            + (moved ? (k % 2 == 0 ? 1 : -1) * spread() * DATA.sd()[i] : 0);
      }
    }
    return x0;
  }

  /** Checks E[L_T] at the sigma points against ½ Σ (ᾱ_T (μ² + s² − 1) − log(1 − ᾱ_T)); returns it. */
  private static double checkPriorTerm(DiffusionImplementation impl, ScheduleSpec spec,
      HighPrecision hp, double[] x0, Measurement m) {
    int dim = DATA_MEAN.length;
    int T = spec.steps();
    Tolerance priorUnit = PRIOR.of(impl.declaration().dtype());
    double[] prior = Ask.perSample(impl, new Requests.PriorTerm(spec,
        new Tensor(new long[] {sigmaPoints(), dim}, x0)), sigmaPoints());
    double alphaBarT = hp.alphaBar(T);
    double expectedPrior = 0;
    for (int i = 0; i < dim; i++) {
      expectedPrior += 0.5 * (alphaBarT * (DATA_MEAN[i] * DATA_MEAN[i] + DATA_VARIANCE[i] - 1)
          - Math.log(hp.oneMinusAlphaBar(T)));
    }
    double priorMean = Statistics.mean(prior);
    m.close("E[L_T] (T = " + T + ")", expectedPrior, priorMean,
        new Tolerance(priorUnit.abs() * dim, priorUnit.rel(), priorUnit.why()));
    return priorMean;
  }

  /**
   * The inputs of STEP_TERM for t = 2..T at the sigma points of (x_0, x_t), rows (t − 2)·points + k,
   * with the exact model's ε*(x_t) ({@link GaussianOracle#epsilon}).
   */
  private record StepPoints(double[] x0, double[] xt, double[] eps, int[] t, KlRules.Step[] steps) {
    static StepPoints of(HighPrecision hp, int T, double[] x0) {
      int dim = DATA_MEAN.length;
      int points = sigmaPoints();
      int n = (T - 1) * points;
      StepPoints p = new StepPoints(new double[n * dim], new double[n * dim], new double[n * dim],
          new int[n], new KlRules.Step[T + 1]);
      for (int t = 2; t <= T; t++) {
        KlRules.Step st = KlRules.Step.of(hp, t);
        p.steps[t] = st;
        for (int k = 0; k < points; k++) {
          int row = (t - 2) * points + k;
          p.t[row] = t;
          for (int i = 0; i < dim; i++) {
            double sign = k % 2 == 0 ? 1 : -1;
            double shift = k / 4 != i ? 0 : (k % 4) < 2 ? sign * spread() * st.a() * DATA.sd()[i]
                : sign * spread() * st.b();
            int e = row * dim + i;
            p.x0[e] = x0[k * dim + i];
            p.xt[e] = st.a() * DATA_MEAN[i] + shift;
            p.eps[e] = DATA.epsilon(i, p.xt[e], hp.alphaBar(t), hp.oneMinusAlphaBar(t));
          }
        }
      }
      return p;
    }
  }

  /**
   * Checks E[L_{t−1}], t = 2..T, against c0² Var(x_0 | x_t)/(2 β̃_t) per coordinate, each within
   * the STEP_TERM allowance of its sigma points; returns their sum.
   */
  private static double checkStepTerms(DiffusionImplementation impl, ScheduleSpec spec,
      double[] beta, HighPrecision hp, double[] x0, Measurement m) {
    int dim = DATA_MEAN.length;
    int points = sigmaPoints();
    int T = spec.steps();
    Tolerance unit = m.tolerance();
    StepPoints p = StepPoints.of(hp, T, x0);
    long[] shape = {p.t().length, dim};
    double[] terms = Ask.perSample(impl, new Requests.StepTerm(spec,
        VarianceChoice.FIXED_SMALL, Prediction.EPSILON, new Tensor(shape, p.x0()),
        new Tensor(shape, p.xt()), p.t(), new Tensor(shape, p.eps()), null), p.t().length);
    double bound = 0;
    for (int t = 2; t <= T; t++) {
      KlRules.Step st = p.steps()[t];
      double expected = 0;
      for (int i = 0; i < dim; i++) {
        expected += st.c0() * st.c0() * DATA.x0Variance(i, hp.alphaBar(t), hp.oneMinusAlphaBar(t))
            / (2 * st.betaTilde());
      }
      double sum = 0;
      double allowed = 0;
      for (int k = 0; k < points; k++) {
        int row = (t - 2) * points + k;
        double atPoint = 0;
        for (int i = 0; i < dim; i++) {
          int e = row * dim + i;
          double d = p.x0()[e] - DATA.x0(i, p.xt()[e], hp.alphaBar(t), hp.oneMinusAlphaBar(t));
          atPoint += st.c0() * st.c0() * d * d / (2 * st.betaTilde());
        }
        sum += terms[row];
        allowed += st.allowance(KlRules.Step.unit(unit, beta, t), atPoint, st.betaTilde(), 1,
            p.x0(), p.xt(), p.eps(), row * dim, (row + 1) * dim);
      }
      m.close("E[L_" + (t - 1) + "] (T = " + T + ")", expected, sum / points,
          new Tolerance(allowed / points, 0, unit.why()));
      bound += sum / points;
    }
    return bound;
  }

  /**
   * E[L_0] of the continuous decoder N(x_0; E[x_0 | x_1], 1 − ᾱ_1): ½ log(2π σ_1²) + Var(x_0 |
   * x_1)/(2σ_1²) per coordinate.
   */
  private static double continuousDecoder(HighPrecision hp) {
    double sigma1 = hp.oneMinusAlphaBar(1);
    double decoder = 0;
    for (int i = 0; i < DATA_MEAN.length; i++) {
      decoder += 0.5 * Math.log(2 * Math.PI * sigma1)
          + DATA.x0Variance(i, hp.alphaBar(1), hp.oneMinusAlphaBar(1)) / (2 * sigma1);
    }
    return decoder;
  }

  /** The NLL of the data under its own law: its entropy ½ Σ log(2πe s²), in nats. */
  private static double exactNll() {
    double nll = 0;
    for (double s2 : DATA_VARIANCE) {
      nll += 0.5 * Math.log(2 * Math.PI * Math.E * s2);
    }
    return nll;
  }
}
