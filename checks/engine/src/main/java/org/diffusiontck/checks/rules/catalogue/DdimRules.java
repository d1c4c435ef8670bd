package org.diffusiontck.checks.rules.catalogue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.DdimEpsilon;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.impl.FinalAlphaBar;
import org.diffusiontck.checks.impl.InversionModelTime;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.StepPlan;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.rules.Ask;
import org.diffusiontck.checks.rules.CaseRule;
import org.diffusiontck.checks.rules.GaussianOracle;
import org.diffusiontck.checks.rules.Gen;
import org.diffusiontck.checks.rules.HighPrecision;
import org.diffusiontck.checks.rules.ImplementationError;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.Measurement;
import org.diffusiontck.checks.rules.ModelReading;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.StepCase;
import org.diffusiontck.checks.rules.TimestepDefinitions;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;

/**
 * DDIM: the step x_s = √ᾱ_s x̂_0 + √(1 − ᾱ_s − σ²) ε̂ + σ z with σ = σ_t(η) (Song et al. 2021,
 * eqs. 12 and 16), its last step, its convergence to the probability flow and its inversion. As
 * for DDPM, zero noise reads the mean and unit minus zero noise reads σ.
 */
final class DdimRules {
  private DdimRules() {}

  private static final List<Operation> OPS = List.of(Operation.SCHEDULE, Operation.DDIM_STEP);

  /** The step counts of DDIM-6; the band below is argued for the last pair. */
  private static final int[] CONVERGENCE_STEPS = {10, 20, 40, 80};

  /** The step counts of DDIM-7. */
  private static final int[] ROUND_TRIP_STEPS = {10, 40};

  static List<Rule> all() {
    return List.of(deterministic(), etaOne(), intermediateEta(), bounded(), lastStep(),
        convergence(), inversion());
  }

  /**
   * Eq. 12 and 16's coefficients for a step t → e (e the timestep whose ᾱ the step lands on):
   * √ᾱ_e, d = √(1 − ᾱ_e − σ²) and σ = η √((1 − ᾱ_e)/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_e), from 50-digit
   * schedule values. With r = β_{t|e}/(1 − ᾱ_t), d² = (1 − ᾱ_e)((1 − η²) + η²(1 − r)) and 1 − r =
   * ᾱ_t(1 − ᾱ_e)/(ᾱ_e(1 − ᾱ_t)): two non-negative terms, no cancellation.
   *
   * <p>{@code directionSlack}: an implementation computing d naively as √(1 − ᾱ_e − σ²), as the
   * paper writes it, carries an absolute error δ in d² of its per-unit allowance times (1 − ᾱ_e +
   * σ²) (relative errors of those two) plus e·u (ᾱ_e as a product of e factors), hence an error of
   * √(d² + δ) − d in d, which is up to √δ where d is near 0 (η = 1 with ᾱ_t near 0).
   */
  record Eq12(double sqrtAlphaBar, double direction, double sigma, double directionSlack) {
    static Eq12 of(HighPrecision hp, int t, int e, double eta, double perUnit, double u) {
      double oneMinusE = hp.oneMinusAlphaBar(e);
      double oneMinusT = hp.oneMinusAlphaBar(t);
      double r = hp.betaBetween(t, e) / oneMinusT;
      double oneMinusR = hp.alphaBar(t) * oneMinusE / (hp.alphaBar(e) * oneMinusT);
      double sigma2 = eta * eta * oneMinusE * r;
      double d2 = oneMinusE * ((1 - eta) * (1 + eta) + eta * eta * oneMinusR);
      double delta = perUnit * (oneMinusE + sigma2) + e * u;
      double d = Math.sqrt(d2);
      return new Eq12(Math.sqrt(hp.alphaBar(e)), d, Math.sqrt(sigma2),
          delta == 0 ? 0 : delta / (d + Math.sqrt(d2 + delta)));
    }
  }

  /** The unit roundoff of a dtype. */
  static double roundoff(Dtype dtype) {
    return dtype == Dtype.FLOAT32 ? 6e-8 : 1.1e-16;
  }

  /** e(s): s itself, or for s = 0 the final ᾱ's timestep, 0 (ONE) or 1 (FIRST_SELECTED). */
  static int landing(int s, Conventions c) {
    return s > 0 || c.finalAlphaBar() == FinalAlphaBar.ONE ? s : 1;
  }

  /** x̂_0 and ε̂ as the declared DDIM convention reads them. */
  private static ModelReading reading(HighPrecision hp, StepCase c, StepCase.Inputs in,
      Conventions conv) {
    ModelReading read = DdpmRules.read(hp, c, in);
    return conv.ddimEpsilon() == DdimEpsilon.RECOMPUTED_FROM_CLIPPED_X0
        ? read.withEpsFromX0(hp.alphaBar(c.t()), hp.oneMinusAlphaBar(c.t()), in.xt().data())
        : read;
  }

  private static Tensor step(DiffusionImplementation impl, StepCase c, StepCase.Inputs in,
      Tensor noise) {
    return step(impl, c.schedule(), c.prediction(), c.eta(), c.clipping(), in.xt(), c.t(),
        c.s(), in.output(), noise);
  }

  private static Tensor step(DiffusionImplementation impl, ScheduleSpec spec, Prediction p,
      double eta, Clipping clipping, Tensor xt, int t, int s, Tensor output, Tensor noise) {
    return Ask.vetted("ddim_step", xt.shape(),
        new Requests.DdimStep(spec, p, eta, clipping, xt, t, s, output, noise).applyTo(impl));
  }

  /**
   * The case itself, or under a declared fixed stride ({@code spec/CONVENTIONS.md} §9) the nearest
   * pair that stride takes at or after s: t − s lowered to the largest stride ⌊T/N⌋ not above it.
   * s = 0 and s = t − 1 are taken as drawn, so the pair keeps the kind the rule drew.
   */
  static StepCase reachable(StepCase c, Declaration d) {
    if (!d.conventions().fixedStride() || c.s() == 0) {
      return c;
    }
    return c.withS(c.t() - TimestepDefinitions.strideAtMost(c.schedule().steps(), c.t() - c.s()));
  }

  /** η among 0, 0.3, 1 and uniform in (0, 1). */
  private static double eta(SplittableRandom r) {
    return new double[] {0.0, 0.3, 1.0, r.nextDouble()}[r.nextInt(4)];
  }

  static Rule deterministic() {
    return CaseRule.of(new RuleInfo("DDIM-1",
            "At eta = 0 a DDIM step is deterministic: repeated calls give bit-identical outputs, "
                + "the noise input is ignored, and a different x_t (same model output) gives a "
                + "different x_s wherever x_s depends on x_t.",
            "Song et al. 2021, §4.1 (sigma = 0 makes the generative process deterministic)",
            "exact: the implementation's answers compared bit for bit; whether x_s depends on "
                + "x_t from eq. 12's coefficient of x_t, sqrt(alphaBar_s) k1 + d l1",
            Level.REQUIRED, Tolerances.both(Tolerance.exact("bit-identical answers"))),
        20, OPS, (r, d) -> reachable(StepCase.draw(r, d, StepCase.Pair.ANY).withChoice(null), d),
        StepCase::shrinks, (impl, c, m) -> {
          HighPrecision hp = DdpmRules.hp(impl, c);
          StepCase.Inputs in = c.inputs(hp, 1.0);
          double[] once = step(impl, c, in, in.noise()).data();
          double[] again = step(impl, c, in, in.noise()).data();
          double[] quiet = step(impl, c, in, in.zeros()).data();
          m.require(Arrays.equals(once, again), "repeated calls are bit-identical",
              () -> Arrays.toString(once) + " then " + Arrays.toString(again));
          m.require(Arrays.equals(once, quiet), "the noise is ignored at eta = 0",
              () -> Arrays.toString(once) + " with noise z, " + Arrays.toString(quiet)
                  + " with z = 0");
          double[] moved = in.xt().data().clone();
          double[] z = Gen.normal(c.seed(), 4, c.shape()).data();
          for (int i = 0; i < moved.length; i++) {
            moved[i] += 0.5 + Math.abs(z[i]);
          }
          double[] other = step(impl, c.schedule(), c.prediction(), 0.0, Clipping.NONE,
              in.xt().withData(moved), c.t(), c.s(), in.output(), in.noise()).data();
          if (dependsOnXt(hp, c, landing(c.s(), impl.declaration().conventions()))) {
            for (int i = 0; i < once.length; i++) {
              int k = i;
              m.require(other[i] != once[i], "a different x_t gives a different x_s",
                  () -> "element " + k + ": x_t " + in.xt().data()[k] + " and " + moved[k]
                      + " both give " + once[k]);
            }
          }
        });
  }

  /**
   * Whether eq. 12 at η = 0 depends on x_t: its coefficient √ᾱ_e k₁ + √(1 − ᾱ_e) l₁ (x̂_0 = k₁ x_t
   * + …, ε̂ = l₁ x_t + …) is at least 1e-3. It vanishes only for x_0-prediction landing on ᾱ = 1
   * and for v-prediction at ᾱ_t = 0 landing on ᾱ = 1, where x_s = x̂_0 is the output itself.
   */
  private static boolean dependsOnXt(HighPrecision hp, StepCase c, int e) {
    double a = Math.sqrt(hp.alphaBar(c.t()));
    double b = Math.sqrt(hp.oneMinusAlphaBar(c.t()));
    double[] k = switch (c.prediction()) {
      case EPSILON -> new double[] {1 / a, 0};
      case X0 -> new double[] {0, 1 / b};
      case V -> new double[] {a, b};
    };
    return Math.sqrt(hp.alphaBar(e)) * k[0] + Math.sqrt(hp.oneMinusAlphaBar(e)) * k[1] >= 1e-3;
  }

  static Rule etaOne() {
    return CaseRule.of(new RuleInfo("DDIM-2",
            "At eta = 1 a DDIM step t -> s is the DDPM posterior step: sigma^2 = betaTilde_{t|s} "
                + "= (1 - alphaBar_s)/(1 - alphaBar_t) beta_{t|s} and the mean is the posterior "
                + "mean of q(x_s | x_t, x0-hat), the same as the implementation's DDPM step's "
                + "where it offers one (s taken as the landing timestep of the final-alphaBar "
                + "convention).",
            "Song et al. 2021, eq. 16 and §4.1 (eta = 1 is the DDPM posterior); "
                + "spec/derivations/ddim.md",
            "Bayes' rule for q(x_s | x_t, x_0) with 50-digit schedule values, and the "
                + "implementation's own DDPM step (zero noise) where declared",
            Level.REQUIRED, DdpmRules.PER_UNIT),
        20, OPS, (r, d) -> reachable(StepCase.draw(r, d, StepCase.Pair.ANY).withEta(1.0), d),
        StepCase::shrinks, DdimRules::checkEtaOne);
  }

  private static void checkEtaOne(DiffusionImplementation impl, StepCase c, Measurement m) {
    HighPrecision hp = DdpmRules.hp(impl, c);
    StepCase.Inputs in = c.inputs(hp, 1.0);
    Declaration d = impl.declaration();
    int e = landing(c.s(), d.conventions());
    Eq12 q = Eq12.of(hp, c.t(), e, 1.0, m.tolerance().abs(), roundoff(d.dtype()));
    ModelReading read = reading(hp, c, in, d.conventions());
    double[] post = e < c.t() ? PosteriorRules.gaussianProduct(hp, c.t(), e)
        : new double[] {0, 1, 0};
    double[] mean = step(impl, c, in, in.zeros()).data();
    double[] unit = step(impl, c, in, in.ones()).data();
    boolean ddpm = d.offers(Operation.DDPM_STEP) && c.choice() != null && e == c.s();
    double[] ddpmMean = ddpm ? DdpmRules.step(impl, c, in, in.zeros()).data() : null;
    double[] xt = in.xt().data();
    double perUnit = m.tolerance().abs();
    for (int i = 0; i < mean.length; i++) {
      double x0Term = read.x0Scale()[i] + Math.abs(read.x0()[i]);
      double postScale = Math.abs(post[0]) * x0Term + Math.abs(post[1] * xt[i]);
      double allowed = perUnit * (q.sqrtAlphaBar() * x0Term + q.direction() * read.epsScale()[i]
          + postScale) + q.directionSlack() * Math.abs(read.eps()[i]);
      String at = "[" + i + "] (" + c.t() + " -> " + e + ")";
      DdpmRules.closeWithin(m, "mean = posterior mean" + at,
          post[0] * read.x0()[i] + post[1] * xt[i], mean[i], allowed);
      DdpmRules.closeScaled(m, "sigma = sqrt(betaTilde)" + at, Math.sqrt(post[2]),
          unit[i] - mean[i], Math.sqrt(post[2]) + Math.abs(mean[i]));
      if (ddpm) {
        DdpmRules.closeWithin(m, "mean = DDPM step's mean" + at, ddpmMean[i], mean[i],
            allowed + perUnit * postScale);
      }
    }
  }

  static Rule intermediateEta() {
    return CaseRule.of(new RuleInfo("DDIM-3",
            "For every eta in [0, 1] a DDIM step t -> s (s >= 1) has sigma = eta sqrt((1 - "
                + "alphaBar_s)/(1 - alphaBar_t)) sqrt(1 - alphaBar_t/alphaBar_s) and mean "
                + "sqrt(alphaBar_s) x0-hat + sqrt(1 - alphaBar_s - sigma^2) eps-hat, with x0-hat "
                + "after the clipping option and eps-hat from the model output or recomputed "
                + "from the clipped x0-hat as declared.",
            "Song et al. 2021, eqs. 12 and 16; spec/CONVENTIONS.md §5-6; spec/derivations/ddim.md",
            "eq. 12 evaluated with 50-digit schedule values from the implementation's betas, the "
                + "direction coefficient in a cancellation-free form; clipping applied in the rule",
            Level.REQUIRED, DdpmRules.PER_UNIT),
        30, OPS, (r, d) -> {
          StepCase c = reachable(StepCase.draw(r, d, StepCase.Pair.INTERMEDIATE)
              .withChoice(null).withEta(eta(r)), d);
          boolean clips = d.clippings(Operation.DDIM_STEP).stream()
              .anyMatch(k -> k != Clipping.Kind.NONE);
          return clips && r.nextBoolean()
              ? c.withClipping(DdpmRules.clippingOf(r, d, Operation.DDIM_STEP)) : c;
        }, StepCase::shrinks, DdimRules::checkEq12);
  }

  static Rule lastStep() {
    return CaseRule.of(new RuleInfo("DDIM-5",
            "The last DDIM step (s = 0) lands on the declared final alphaBar: on alphaBar_0 = 1 "
                + "(ONE) it returns x0-hat for every eta, adding no noise; on alphaBar_1 "
                + "(FIRST_SELECTED) it is eq. 12 toward alphaBar_1, the identity from t = 1 "
                + "itself.",
            "Song et al. 2021, eq. 12 with alphaBar_0 = 1; spec/CONVENTIONS.md §8",
            "eq. 12 evaluated with 50-digit schedule values at the landing alphaBar",
            Level.REQUIRED, DdpmRules.PER_UNIT),
        20, OPS, (r, d) -> StepCase.draw(r, d, StepCase.Pair.LAST).withChoice(null)
            .withEta(eta(r)),
        StepCase::shrinks, DdimRules::checkEq12);
  }

  /** Mean (zero noise) and σ (unit − zero noise) of a DDIM step against eq. 12. */
  private static void checkEq12(DiffusionImplementation impl, StepCase c, Measurement m) {
    HighPrecision hp = DdpmRules.hp(impl, c);
    boolean clipped = c.clipping().kind() != Clipping.Kind.NONE;
    StepCase.Inputs in = c.inputs(hp, clipped ? 2.5 : 1.0);
    Declaration d = impl.declaration();
    int e = landing(c.s(), d.conventions());
    Eq12 q = Eq12.of(hp, c.t(), e, c.eta(), m.tolerance().abs(), roundoff(d.dtype()));
    ModelReading read = reading(hp, c, in, d.conventions());
    double[] mean = step(impl, c, in, in.zeros()).data();
    double[] unit = step(impl, c, in, in.ones()).data();
    for (int i = 0; i < mean.length; i++) {
      String at = "[" + i + "] (" + c.t() + " -> " + e + ", eta = " + c.eta() + ")";
      DdpmRules.closeWithin(m, "mean" + at,
          q.sqrtAlphaBar() * read.x0()[i] + q.direction() * read.eps()[i], mean[i],
          m.tolerance().abs() * (q.sqrtAlphaBar() * (read.x0Scale()[i] + Math.abs(read.x0()[i]))
              + q.direction() * read.epsScale()[i])
              + q.directionSlack() * Math.abs(read.eps()[i]));
      DdpmRules.closeScaled(m, "sigma" + at, q.sigma(), unit[i] - mean[i],
          q.sigma() + Math.abs(mean[i]));
    }
  }

  static Rule bounded() {
    return CaseRule.of(new RuleInfo("DDIM-4",
            "For every eta in [0, 1] and every t -> s, a DDIM step's sigma^2 is at most "
                + "1 - alphaBar_s (so the direction coefficient sqrt(1 - alphaBar_s - sigma^2) is "
                + "real) and its output holds no NaN or infinity, including cosine and "
                + "zero-terminal-SNR schedules near t = T.",
            "Song et al. 2021, eq. 16: sigma^2 = eta^2 (1 - alphaBar_s) r with r = beta_{t|s} / "
                + "(1 - alphaBar_t) <= 1",
            "an inequality against 1 - alphaBar_s in 50 digits; sigma read from the output",
            Level.REQUIRED, DdpmRules.PER_UNIT),
        30, OPS, DdimRules::nearTerminal, StepCase::shrinks, (impl, c, m) -> {
          HighPrecision hp = DdpmRules.hp(impl, c);
          StepCase.Inputs in = c.inputs(hp, 1.0);
          double[] mean = unvetted(impl, c, in, in.zeros());
          double[] unit = unvetted(impl, c, in, in.ones());
          int e = landing(c.s(), impl.declaration().conventions());
          double bound = Math.sqrt(hp.oneMinusAlphaBar(e));
          for (int i = 0; i < mean.length; i++) {
            int k = i;
            m.require(Double.isFinite(mean[i]) && Double.isFinite(unit[i]), "no NaN or infinity",
                () -> "element " + k + ": " + mean[k] + " with z = 0, " + unit[k] + " with z = 1");
            double sigma = unit[i] - mean[i];
            double allowed = bound + m.tolerance().abs() * (bound + Math.abs(mean[i]));
            m.require(sigma <= allowed, "sigma <= sqrt(1 - alphaBar_" + e + ")",
                () -> "sigma[" + k + "] = " + sigma + " > " + bound + " (+ rounding allowance "
                    + (allowed - bound) + ")");
          }
        });
  }

  /**
   * A case near the edges of eq. 16: cosine half of the time where declared, zero terminal SNR
   * half of the time where declared, t ∈ {T, T − 1} two thirds of the time, η ∈ {0, 0.3, 1, U(0,
   * 1)}.
   */
  private static StepCase nearTerminal(SplittableRandom r, Declaration d) {
    boolean cosine = d.schedules().contains(ScheduleKind.COSINE) && r.nextBoolean();
    int steps = Gen.steps(r, d);
    ScheduleSpec spec = cosine ? Gen.schedule(r, ScheduleKind.COSINE, steps)
        : Gen.schedule(r, d, StepCase.pick(r, d.schedules().toArray(new ScheduleKind[0])), steps);
    if (d.zeroTerminalSnr() && spec.steps() >= 2 && r.nextBoolean()) {
      spec = spec.withZeroTerminalSnr();
    }
    Prediction p = StepCase.pick(r, d.predictions().toArray(new Prediction[0]));
    int top = spec.zeroTerminalSnr() && p == Prediction.EPSILON ? spec.steps() - 1 : spec.steps();
    int t = r.nextInt(3) == 0 ? 1 + r.nextInt(top) : Math.max(1, top - r.nextInt(2));
    int s = r.nextBoolean() ? t - 1 : r.nextInt(3) == 0 ? 0 : r.nextInt(t);
    return reachable(
        new StepCase(spec, Gen.shape(r), t, s, p, null, eta(r), Clipping.NONE, r.nextLong()), d);
  }

  /** A DDIM step's answer checked for shape only: DDIM-4 reports NaN as its own failure. */
  private static double[] unvetted(DiffusionImplementation impl, StepCase c, StepCase.Inputs in,
      Tensor noise) {
    Tensor out = new Requests.DdimStep(c.schedule(), c.prediction(), c.eta(), c.clipping(),
        in.xt(), c.t(), c.s(), in.output(), noise).applyTo(impl);
    if (out == null || !Arrays.equals(out.shape(), c.shape())) {
      throw new ImplementationError("ddim_step: expected shape " + Arrays.toString(c.shape())
          + ", got " + (out == null ? "no tensor" : Arrays.toString(out.shape())));
    }
    return out.data();
  }

  /** A case with the Gaussian-data oracle as the model, on a T = 1000 schedule. */
  record OracleCase(ScheduleSpec schedule, long[] shape, GaussianOracle oracle,
      Prediction prediction, long seed) {
    /** μ uniform in (−1, 1), s uniform in (0.3, 1) per coordinate; shape [2, 4]. */
    static OracleCase draw(SplittableRandom r, Declaration d) {
      ScheduleSpec spec = Gen.schedule(r, d,
          StepCase.pick(r, d.schedules().toArray(new ScheduleKind[0])), Gen.MAX_T);
      double[] mu = new double[4];
      double[] sd = new double[4];
      for (int i = 0; i < mu.length; i++) {
        mu[i] = -1 + 2 * r.nextDouble();
        sd[i] = 0.3 + 0.7 * r.nextDouble();
      }
      return new OracleCase(spec, new long[] {2, 4}, new GaussianOracle(mu, sd),
          StepCase.pick(r, d.predictions().toArray(new Prediction[0])), r.nextLong());
    }

    /** Draws of q(x_t) from portable noise. */
    double[] sample(HighPrecision hp, int t) {
      double[] z = Gen.normal(seed, 0, shape).data();
      double[] x = new double[z.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = oracle.sample(i % oracle.size(), z[i], hp.alphaBar(t), hp.oneMinusAlphaBar(t));
      }
      return x;
    }

    /** The oracle's output at (x, t). */
    Tensor output(HighPrecision hp, double[] x, int t) {
      double[] out = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        out[i] = oracle.output(prediction, i % oracle.size(), x[i], hp.alphaBar(t),
            hp.oneMinusAlphaBar(t));
      }
      return new Tensor(shape.clone(), out);
    }

    Tensor tensor(double[] x) {
      return new Tensor(shape.clone(), x);
    }

    @Override
    public String toString() {
      return "{schedule: " + schedule + ", prediction: " + prediction + ", mu: "
          + Arrays.toString(oracle.mu()) + ", s: " + Arrays.toString(oracle.sd())
          + ", shape: " + Arrays.toString(shape) + ", noise seed: " + seed + "}";
    }
  }

  /**
   * The timesteps τ_1 &gt; … &gt; τ_N a chain visits: the implementation's own selection (the first
   * declared of LINSPACE, TRAILING, LEADING with offset 0, SECTIONS "N"), or when it offers none
   * one built here: numpy's linspace selection, or under a fixed stride the leading one (offset 0),
   * the selection that stride was written for (each τ_k − ⌊T/N⌋ is τ_{k+1}).
   */
  private static int[] timesteps(DiffusionImplementation impl, int T, int N) {
    Declaration d = impl.declaration();
    if (d.offers(Operation.TIMESTEPS)) {
      for (Spacing sp : List.of(Spacing.LINSPACE, Spacing.TRAILING, Spacing.LEADING,
          Spacing.SECTIONS)) {
        if (d.spacings().contains(sp)) {
          StepPlan plan = new Requests.Timesteps(T, N, sp, sp == Spacing.LEADING ? 0 : null,
              null).applyTo(impl);
          int[] tau = plan == null ? null : plan.timesteps();
          if (tau == null || tau.length != N || tau[0] > T || tau[N - 1] < 1
              || !strictlyDecreasing(tau)) {
            throw new ImplementationError("timesteps(" + T + ", " + N + ", " + sp
                + "): not N distinct decreasing timesteps in 1..T (see STEPS-1): "
                + (tau == null ? "none" : Arrays.toString(tau)));
          }
          return tau;
        }
      }
    }
    return d.conventions().fixedStride() ? TimestepDefinitions.leading(T, N, 0)
        : TimestepDefinitions.linspace(T, N);
  }

  /**
   * Where the chain's step from each τ_k lands under the declared previous-timestep rule: the next
   * selected timestep, or τ_k − ⌊T/N⌋. Under the stride the state is moved there and the model is
   * next asked at τ_{k+1} all the same, the chain such a sampler runs (spec/CONVENTIONS.md §9).
   */
  private static int[] landings(DiffusionImplementation impl, int T, int[] tau) {
    return TimestepDefinitions.previous(T, tau, impl.declaration().conventions().fixedStride());
  }

  static boolean strictlyDecreasing(int[] t) {
    for (int k = 1; k < t.length; k++) {
      if (t[k] >= t[k - 1]) {
        return false;
      }
    }
    return true;
  }

  static Rule convergence() {
    return CaseRule.of(new RuleInfo("DDIM-6",
            "With the Gaussian-data oracle as the model, DDIM at eta = 0 over N = 10, 20, 40, 80 "
                + "selected timesteps from the same x at the first of them converges to the exact "
                + "probability-flow map to the final alphaBar: the error decreases at each "
                + "doubling and its observed order between N = 40 and 80 is 1 within 0.3. Each "
                + "step lands where the declared previous-timestep rule says (under a fixed "
                + "stride on t - floor(T/N), the model next asked at the next selected t).",
            "Song et al. 2021, eq. 14 (DDIM is Euler's method for the probability-flow ODE); "
                + "spec/derivations/gaussian-oracle.md",
            "exact oracle: the model output and the flow map x_s = sqrt(alphaBar_s) mu + sqrt(V_s) "
                + "(x_t - sqrt(alphaBar_t) mu) / sqrt(V_t) in closed form, V = alphaBar s^2 + 1 - "
                + "alphaBar; the implementation's timestep selection (or linspace)",
            Level.REQUIRED, Tolerances.both(new Tolerance(0.3, 0, "Euler's global error is "
                + "C h + o(h); the grid is uniform in t, and sigma-bar ~ sqrt(t) near t = 0 makes "
                + "the sum of squared steps behave like h log(1/h), which alone lowers the order "
                + "observed from N = 40 to 80 to 1 - log2(1 + ln 2 / ln 40) = 0.75 at worst; "
                + "higher-order terms move it by O(h); data standard deviations of at least 0.3 "
                + "keep the steps near t = 0 resolved. A wrong last step or a wrong reading of "
                + "the model leaves an error that does not shrink (order near 0)"))),
        2, List.of(Operation.SCHEDULE, Operation.DDIM_STEP), OracleCase::draw, c -> List.of(),
        (impl, c, m) -> checkConvergence(impl, c, m, SINGLE_STEPS));
  }

  /**
   * How the chains of DDIM-6 and DDIM-7 are run: as the kit's loop over the implementation's single
   * steps, or as the implementation's own loops (LOOP-4, LOOP-6).
   */
  interface Route {
    /** The visited timesteps τ_1 &gt; … &gt; τ_N out of T. */
    int[] timesteps(DiffusionImplementation impl, int T, int N);

    /**
     * Generation at η = 0 from x at tau[0] with the oracle as the model, step k landing on
     * to[k]: down to the final ᾱ, or when {@code toLast} is false, x as it arrives at to[N − 2].
     */
    double[] generate(DiffusionImplementation impl, OracleCase c, HighPrecision hp, int[] tau,
        int[] to, double[] x, boolean toLast);

    /**
     * Inversion from x at to[N − 2] up to tau[0], step k from to[k] to tau[k], the model at the
     * declared time.
     */
    double[] invert(DiffusionImplementation impl, OracleCase c, HighPrecision hp, int[] tau,
        int[] to, double[] x);
  }

  /** The chains as the kit's loops over single {@code ddim_step}s and {@code ddim_invert_step}s. */
  static final Route SINGLE_STEPS = new Route() {
    @Override
    public int[] timesteps(DiffusionImplementation impl, int T, int N) {
      return DdimRules.timesteps(impl, T, N);
    }

    @Override
    public double[] generate(DiffusionImplementation impl, OracleCase c, HighPrecision hp,
        int[] tau, int[] to, double[] x, boolean toLast) {
      for (int k = 0; k < (toLast ? tau.length : tau.length - 1); k++) {
        x = step(impl, c.schedule(), c.prediction(), 0.0, Clipping.NONE, c.tensor(x), tau[k],
            to[k], c.output(hp, x, tau[k]), c.tensor(new double[x.length])).data();
      }
      return x;
    }

    @Override
    public double[] invert(DiffusionImplementation impl, OracleCase c, HighPrecision hp,
        int[] tau, int[] to, double[] x) {
      boolean target = impl.declaration().conventions().inversionModelTime()
          == InversionModelTime.TARGET;
      for (int k = tau.length - 2; k >= 0; k--) {
        int s = to[k];
        int t = tau[k];
        x = Ask.vetted("ddim_invert_step", c.shape(), new Requests.DdimInvertStep(c.schedule(),
            c.prediction(), Clipping.NONE, c.tensor(x), s, t, c.output(hp, x, target ? t : s))
            .applyTo(impl)).data();
      }
      return x;
    }
  };

  static void checkConvergence(DiffusionImplementation impl, OracleCase c, Measurement m,
      Route route) {
    HighPrecision hp = new HighPrecision(Ask.schedule(impl, c.schedule()).beta());
    int T = c.schedule().steps();
    double[] errors = new double[CONVERGENCE_STEPS.length];
    for (int n = 0; n < errors.length; n++) {
      int[] tau = route.timesteps(impl, T, CONVERGENCE_STEPS[n]);
      int[] to = landings(impl, T, tau);
      double[] start = c.sample(hp, tau[0]);
      double[] x = route.generate(impl, c, hp, tau, to, start, true);
      int e = landing(to[tau.length - 1], impl.declaration().conventions());
      double[] from = {hp.alphaBar(tau[0]), hp.oneMinusAlphaBar(tau[0])};
      double[] end = {hp.alphaBar(e), hp.oneMinusAlphaBar(e)};
      for (int i = 0; i < x.length; i++) {
        double exact = c.oracle().flow(i % c.oracle().size(), start[i], from, end);
        errors[n] = Math.max(errors[n], Math.abs(x[i] - exact));
      }
    }
    String seen = "errors " + Arrays.toString(errors) + " for N = "
        + Arrays.toString(CONVERGENCE_STEPS);
    for (int n = 1; n < errors.length; n++) {
      m.require(errors[n] < errors[n - 1], "the error decreases from N = "
          + CONVERGENCE_STEPS[n - 1] + " to " + CONVERGENCE_STEPS[n], () -> seen);
    }
    int last = errors.length - 1;
    m.close("observed order from N = " + CONVERGENCE_STEPS[last - 1] + " to "
        + CONVERGENCE_STEPS[last] + " (" + seen + ")", 1.0,
        Math.log(errors[last - 1] / errors[last]) / Math.log(2));
  }

  static Rule inversion() {
    return CaseRule.of(new RuleInfo("DDIM-7",
            "With the Gaussian-data oracle as the model, DDIM inversion from u, where the "
                + "step from the second smallest selected timestep lands, up to the largest, then "
                + "DDIM generation (eta = 0) back to u, each step the reverse of a generation "
                + "step of the declared previous-timestep rule, returns x_u within the round-trip error of eq. 12 and its inversion in exact "
                + "arithmetic, a bound that shrinks as the steps grow (N = 10, 40); the model is "
                + "evaluated at the declared inversion timestep.",
            "Song et al. 2021, §4.3 (DDIM inversion: eq. 12 with sigma = 0 read forward); "
                + "spec/CONVENTIONS.md §15; spec/derivations/gaussian-oracle.md",
            "exact oracle outputs; the bound from eq. 12 and its inversion evaluated in the rule "
                + "with 50-digit schedule values, plus the accumulated rounding allowance",
            Level.REQUIRED, DdpmRules.PER_UNIT),
        2, List.of(Operation.SCHEDULE, Operation.DDIM_STEP, Operation.DDIM_INVERT_STEP),
        OracleCase::draw, c -> List.of(), (impl, c, m) -> checkInversion(impl, c, m,
            SINGLE_STEPS));
  }

  static void checkInversion(DiffusionImplementation impl, OracleCase c, Measurement m,
      Route route) {
    HighPrecision hp = new HighPrecision(Ask.schedule(impl, c.schedule()).beta());
    boolean target = impl.declaration().conventions().inversionModelTime()
        == InversionModelTime.TARGET;
    double[] worst = new double[ROUND_TRIP_STEPS.length];
    double[] slack = new double[ROUND_TRIP_STEPS.length];
    for (int n = 0; n < worst.length; n++) {
      int N = ROUND_TRIP_STEPS[n];
      int[] tau = route.timesteps(impl, c.schedule().steps(), N);
      int[] to = landings(impl, c.schedule().steps(), tau);
      double[] start = c.sample(hp, to[N - 2]);
      Chain bound = new Chain(c, hp, start, m.tolerance().abs());
      for (int k = N - 2; k >= 0; k--) {
        bound.move(c.output(hp, bound.x, target ? tau[k] : to[k]), to[k], tau[k]);
      }
      for (int k = 0; k + 1 < N; k++) {
        bound.move(c.output(hp, bound.x, tau[k]), tau[k], to[k]);
      }
      double[] x = route.generate(impl, c, hp, tau, to,
          route.invert(impl, c, hp, tau, to, start), false);
      // a rounding error entering at any level reaches the end with the flow's gain between two
      // levels, sqrt(V_a / V_b) <= 1 / s_min < 3.4 (V in [s^2, 1]); 4 leaves room for the steps
      slack[n] = 4 * bound.rounding;
      for (int i = 0; i < x.length; i++) {
        double error = Math.abs(x[i] - start[i]);
        worst[n] = Math.max(worst[n], error);
        DdpmRules.closeWithin(m, "round-trip error beyond the bound " + Math.abs(bound.x[i]
            - start[i]) + " [" + i + "] (N = " + N + ")", 0,
            Math.max(0, error - Math.abs(bound.x[i] - start[i])), slack[n]);
      }
    }
    m.require(worst[1] < worst[0] || worst[0] <= slack[0], "the round-trip error shrinks",
        () -> "largest error " + worst[0] + " for N = " + ROUND_TRIP_STEPS[0] + ", " + worst[1]
            + " for N = " + ROUND_TRIP_STEPS[1]);
  }

  /**
   * Eq. 12 at η = 0 between two timesteps, read in either direction (generation t → s, inversion
   * s → t: x_to = √ᾱ_to x̂_0 + √(1 − ᾱ_to) ε̂ with x̂_0, ε̂ read at the source), accumulating the
   * rounding allowance of each step.
   */
  private static final class Chain {
    private final OracleCase c;
    private final HighPrecision hp;
    private final double perUnit;
    double[] x;
    double rounding;

    Chain(OracleCase c, HighPrecision hp, double[] x, double perUnit) {
      this.c = c;
      this.hp = hp;
      this.x = x;
      this.perUnit = perUnit;
    }

    void move(Tensor output, int from, int to) {
      ModelReading read = ModelReading.of(c.prediction(), hp.alphaBar(from),
          hp.oneMinusAlphaBar(from), Clipping.NONE, x, output.data(), c.oracle().size());
      double a = Math.sqrt(hp.alphaBar(to));
      double b = Math.sqrt(hp.oneMinusAlphaBar(to));
      double[] next = new double[x.length];
      double scale = 0;
      for (int i = 0; i < x.length; i++) {
        next[i] = a * read.x0()[i] + b * read.eps()[i];
        scale = Math.max(scale,
            a * (read.x0Scale()[i] + Math.abs(read.x0()[i])) + b * read.epsScale()[i]);
      }
      x = next;
      rounding += perUnit * scale;
    }
  }
}
