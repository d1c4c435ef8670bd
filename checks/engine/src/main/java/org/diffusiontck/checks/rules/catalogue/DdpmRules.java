package org.diffusiontck.checks.rules.catalogue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.diffusiontck.checks.rules.Ask;
import org.diffusiontck.checks.rules.CaseRule;
import org.diffusiontck.checks.rules.HighPrecision;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.Measurement;
import org.diffusiontck.checks.rules.ModelReading;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.StepCase;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;

/**
 * DDPM: the ancestral step x_s = μ̃(x_t, x̂_0) + σ z (Ho et al. 2020, Algorithm 2, in its
 * posterior form). A step is affine in the noise, so two probes read it: zero noise gives the mean,
 * unit noise minus zero noise gives σ per coordinate.
 */
final class DdpmRules {
  private DdpmRules() {}

  private static final List<Operation> OPS = List.of(Operation.SCHEDULE, Operation.DDPM_STEP);

  /**
   * Per unit of a value's rounding scale, the sum of |coefficient × input| over the terms that
   * form it ({@link ModelReading}); so the allowance follows the conditioning, e.g. ε → x̂_0 near
   * t = T.
   */
  static final Tolerances PER_UNIT = new Tolerances(
      new Tolerance(2e-11, 0, "per unit of the rounding scale (the sum of |coefficient x input| "
          + "over the terms of x0-hat and of the step; sigma + |mean| for sigma): coefficients "
          + "from a naive 1 - alphaBar_t or 1 - alphaBar_t/alphaBar_s are off by up to "
          + "eps / beta_min = 1.1e-16 / 4.1e-5 = 2.7e-12 relative (cosine beta_1), a product of "
          + "three of them by 8e-12, plus a few dozen roundings of 1.1e-16: 2e-11"),
      new Tolerance(3e-3, 0, "float32, per unit of the rounding scale: a naive 1 - alphaBar_1 "
          + "loses 6e-8 / 4.1e-5 = 1.5e-3 relative (cosine beta_1); two such coefficients in a "
          + "product: 3e-3"));

  private static final Set<VarianceChoice> STRIDED_CHOICES = EnumSet.of(
      VarianceChoice.FIXED_SMALL, VarianceChoice.FIXED_LARGE, VarianceChoice.LEARNED_RANGE);

  static List<Rule> all() {
    return List.of(posterior(), strided(), lastStep(), predictionsAgree(), clipping());
  }

  static Rule posterior() {
    return CaseRule.of(new RuleInfo("DDPM-1",
            "A DDPM step t -> s has the mean and variance of q(x_s | x_t, x0-hat) with x0-hat read "
                + "from the model output by the definition of its prediction type (eps, x_0, v): "
                + "sigma^2 = betaTilde_{t|s} (fixed small), beta_{t|s} (fixed large), exp(output) "
                + "(learned log-variance), output (learned variance), or exp of the interpolation "
                + "(u + 1)/2 log beta_{t|s} + (1 - u)/2 log betaTilde_{t|s} (learned range); "
                + "sigma = 0 when s = 0.",
            "Ho et al. 2020, eqs. 6-7, 11, 15 and Algorithm 2; Nichol & Dhariwal 2021, eq. 15; "
                + "Salimans & Ho 2022, §4; spec/derivations/posterior.md",
            "Bayes' rule for q(x_s | x_t, x_0) (precisions add) with 50-digit schedule values "
                + "from the implementation's betas; x0-hat from the prediction's definition",
            Level.REQUIRED, PER_UNIT),
        30, OPS, (r, d) -> StepCase.draw(r, d, StepCase.Pair.ANY), StepCase::shrinks,
        (impl, c, m) -> checkPosterior(impl, c, m, 1.0));
  }

  static Rule strided() {
    return CaseRule.of(new RuleInfo("DDPM-2",
            "A strided DDPM step t -> s (1 <= s <= t - 2) uses beta_{t|s} = 1 - alphaBar_t / "
                + "alphaBar_s, never the one-step beta_t: sigma^2 = (1 - alphaBar_s) / "
                + "(1 - alphaBar_t) beta_{t|s} (fixed small), beta_{t|s} (fixed large), log-interpolated between "
                + "them (learned range), and the mean is the posterior mean toward s.",
            "Kingma et al. 2021, eq. 6 (q(x_s | x_t, x_0) for any s < t); Nichol & Dhariwal "
                + "2021, §4 (respacing); spec/derivations/posterior.md",
            "as DDPM-1, on steps that skip at least one timestep, where beta_t and beta_{t|s} "
                + "differ by a factor of about t - s",
            Level.REQUIRED, PER_UNIT),
        20, OPS, (r, d) -> {
          StepCase c = StepCase.draw(r, d, StepCase.Pair.STRIDED);
          Set<VarianceChoice> declared = EnumSet.copyOf(STRIDED_CHOICES);
          declared.retainAll(d.varianceChoices());
          return c.withChoice(StepCase.pick(r, declared.toArray(new VarianceChoice[0])));
        }, StepCase::shrinks, (impl, c, m) -> checkPosterior(impl, c, m, 1.0))
        .when(d -> d.varianceChoices().stream().anyMatch(STRIDED_CHOICES::contains),
            "none of fixed small, fixed large, learned range declared");
  }

  static Rule lastStep() {
    return CaseRule.of(new RuleInfo("DDPM-3",
            "The DDPM step landing on s = 0 adds no noise: its output does not depend on the "
                + "noise input and equals x0-hat, the posterior mean there, for every variance "
                + "choice.",
            "Ho et al. 2020, Algorithm 2, line 3 (z = 0 when t = 1); q(x_0 | x_t, x_0) is a point "
                + "mass",
            "exact: the output for standard normal noise is bit-identical to the output for zero "
                + "noise; x0-hat from the prediction's definition with 50-digit coefficients",
            Level.REQUIRED, PER_UNIT),
        20, OPS, (r, d) -> StepCase.draw(r, d, StepCase.Pair.LAST), StepCase::shrinks,
        (impl, c, m) -> {
          HighPrecision hp = hp(impl, c);
          StepCase.Inputs in = c.inputs(hp, 1.0);
          double[] quiet = step(impl, c, in, in.zeros()).data();
          double[] noisy = step(impl, c, in, in.noise()).data();
          ModelReading read = read(hp, c, in);
          for (int i = 0; i < quiet.length; i++) {
            int k = i;
            m.require(noisy[i] == quiet[i], "no noise on the step " + c.t() + " -> 0",
                () -> "element " + k + ": " + noisy[k] + " with noise z = " + in.noise().data()[k]
                    + ", " + quiet[k] + " with z = 0");
            closeScaled(m, "x_0[" + i + "] = x0-hat", read.x0()[i], quiet[i],
                read.x0Scale()[i] + Math.abs(read.x0()[i]));
          }
        });
  }

  static Rule predictionsAgree() {
    return CaseRule.of(new RuleInfo("DDPM-4",
            "eps-, x_0- and v-prediction give the same DDPM step when their outputs describe the "
                + "same x0-hat (eps = (x_t - sqrt(alphaBar_t) x0-hat) / sqrt(1 - alphaBar_t), "
                + "v = sqrt(alphaBar_t) eps - sqrt(1 - alphaBar_t) x0-hat), for the same noise.",
            "Ho et al. 2020, eq. 15; Salimans & Ho 2022, §4 and Appendix D; "
                + "spec/derivations/parameterizations.md",
            "the implementation's own steps compared with each other; the outputs converted with "
                + "50-digit coefficients",
            Level.OPTIONAL, PER_UNIT),
        20, OPS, (r, d) -> StepCase.draw(r, d, StepCase.Pair.ANY, d.predictions().contains(
            Prediction.EPSILON) ? Set.of(Prediction.EPSILON) : d.predictions()),
        StepCase::shrinks, DdpmRules::checkPredictionsAgree)
        .when(d -> d.predictions().size() >= 2, "fewer than two prediction types declared");
  }

  static Rule clipping() {
    return CaseRule.of(new RuleInfo("DDPM-5",
            "With clipping, the DDPM step's mean is the posterior mean of the treated x0-hat: "
                + "clamped to [-1, 1] (clip), or per sample clamped to [-q, q] and divided by q "
                + "with q = min(max(p-quantile of |x0-hat|, 1), maxValue) (dynamic thresholding, "
                + "numpy's linear quantile); sigma is unchanged.",
            "Ho et al. 2020 (code: clip_denoised); Saharia et al. 2022, §2.3 (dynamic "
                + "thresholding); spec/CONVENTIONS.md §6",
            "the treatment applied in the rule to x0-hat (of size 2.5, so most coordinates "
                + "exceed 1), then Bayes' rule as in DDPM-1; the quantile by numpy's linear method "
                + "(h = (n - 1) p, interpolate between the order statistics around h)",
            Level.OPTIONAL, PER_UNIT),
        20, OPS, (r, d) -> StepCase.draw(r, d, StepCase.Pair.ANY)
            .withClipping(clippingOf(r, d, Operation.DDPM_STEP)),
        StepCase::shrinks, (impl, c, m) -> checkPosterior(impl, c, m, 2.5))
        .when(d -> d.clippings(Operation.DDPM_STEP).contains(Clipping.Kind.CLIP)
            || d.clippings(Operation.DDPM_STEP).contains(Clipping.Kind.DYNAMIC),
            "no clipping declared");
  }

  /**
   * An active treatment among those declared for {@code op}: clip, or dynamic thresholding with p
   * among 0.5, 0.9, 0.995 or uniform in (0.5, 1) and maxValue among 1, 1.5, 4 and 1e6 (no cap).
   */
  static Clipping clippingOf(SplittableRandom r, Declaration d, Operation op) {
    List<Clipping.Kind> kinds = new ArrayList<>(d.clippings(op));
    kinds.remove(Clipping.Kind.NONE);
    kinds.sort(null);
    if (kinds.get(r.nextInt(kinds.size())) == Clipping.Kind.CLIP) {
      return Clipping.CLIP;
    }
    double p = new double[] {0.5, 0.9, 0.995, 0.5 + 0.5 * r.nextDouble()}[r.nextInt(4)];
    return Clipping.dynamic(p, new double[] {1.0, 1.5, 4.0, 1e6}[r.nextInt(4)]);
  }

  static HighPrecision hp(DiffusionImplementation impl, StepCase c) {
    return new HighPrecision(Ask.schedule(impl, c.schedule()).beta());
  }

  static ModelReading read(HighPrecision hp, StepCase c, StepCase.Inputs in) {
    return ModelReading.of(c.prediction(), hp.alphaBar(c.t()), hp.oneMinusAlphaBar(c.t()),
        c.clipping(), in.xt().data(), in.output().data(), in.per());
  }

  /** The implementation's DDPM step for the case's inputs and {@code noise}. */
  static Tensor step(DiffusionImplementation impl, StepCase c, StepCase.Inputs in, Tensor noise) {
    return Ask.vetted("ddpm_step", c.shape(), new Requests.DdpmStep(c.schedule(),
        c.prediction(), c.choice(), c.clipping(), in.xt(), c.t(), c.s(), in.output(),
        in.varianceOutput(), noise).applyTo(impl));
  }

  /** |observed − expected| ≤ the rule's per-unit allowance × {@code scale}. */
  static void closeScaled(Measurement m, String what, double expected, double observed,
      double scale) {
    closeWithin(m, what, expected, observed, m.tolerance().abs() * scale);
  }

  /** |observed − expected| ≤ {@code allowed}, computed from the rule's tolerance. */
  static void closeWithin(Measurement m, String what, double expected, double observed,
      double allowed) {
    m.close(what, expected, observed, new Tolerance(allowed, 0, m.tolerance().why()));
  }

  /** Mean (zero noise) and σ (unit − zero noise) of a step against the posterior of x0-hat. */
  private static void checkPosterior(DiffusionImplementation impl, StepCase c, Measurement m,
      double x0Size) {
    HighPrecision hp = hp(impl, c);
    StepCase.Inputs in = c.inputs(hp, x0Size);
    double[] mean = step(impl, c, in, in.zeros()).data();
    double[] unit = step(impl, c, in, in.ones()).data();
    ModelReading read = read(hp, c, in);
    double[] g = PosteriorRules.gaussianProduct(hp, c.t(), c.s());
    double[] sigma = sigma(hp, c, in);
    double[] xt = in.xt().data();
    String step = " (" + c.t() + " -> " + c.s() + ")";
    for (int i = 0; i < mean.length; i++) {
      closeScaled(m, "mean[" + i + "]" + step, g[0] * read.x0()[i] + g[1] * xt[i], mean[i],
          Math.abs(g[0]) * (read.x0Scale()[i] + Math.abs(read.x0()[i])) + Math.abs(g[1] * xt[i]));
      closeScaled(m, "sigma[" + i + "]" + step, sigma[i], unit[i] - mean[i],
          sigma[i] + Math.abs(mean[i]));
    }
  }

  /**
   * σ per coordinate of the step t → s: 0 when s = 0; else per the variance choice, with β̃_{t|s}
   * from Bayes' rule and β_{t|s} = 1 − ᾱ_t/ᾱ_s in 50 digits.
   */
  static double[] sigma(HighPrecision hp, StepCase c, StepCase.Inputs in) {
    double[] out = new double[in.xt().data().length];
    if (c.s() == 0) {
      return out;
    }
    double large = hp.betaBetween(c.t(), c.s());
    double small = PosteriorRules.gaussianProduct(hp, c.t(), c.s())[2];
    for (int i = 0; i < out.length; i++) {
      double v = in.varianceOutput() == null ? 0 : in.varianceOutput().data()[i];
      double frac = (v + 1) / 2;
      double variance = switch (c.choice()) {
        case FIXED_SMALL -> small;
        case FIXED_LARGE -> large;
        case LEARNED_LOG_VARIANCE -> Math.exp(v);
        case LEARNED_VARIANCE -> v;
        case LEARNED_RANGE -> Math.exp(frac * Math.log(large) + (1 - frac) * Math.log(small));
      };
      out[i] = Math.sqrt(variance);
    }
    return out;
  }

  /** Each declared prediction's step on the same (x0-hat, eps-hat, x_t, z) against the first. */
  private static void checkPredictionsAgree(DiffusionImplementation impl, StepCase c,
      Measurement m) {
    HighPrecision hp = hp(impl, c);
    List<Prediction> predictions = new ArrayList<>(impl.declaration().predictions());
    predictions.sort(null);
    double[] g = PosteriorRules.gaussianProduct(hp, c.t(), c.s());
    double[] firstOut = null;
    double[] firstScale = null;
    Prediction first = null;
    for (Prediction p : predictions) {
      if (p == Prediction.EPSILON && hp.alphaBar(c.t()) == 0) {
        continue;
      }
      StepCase cp = c.withPrediction(p);
      StepCase.Inputs in = cp.inputs(hp, 1.0);
      double[] out = step(impl, cp, in, in.noise()).data();
      ModelReading read = read(hp, cp, in);
      double[] sigma = sigma(hp, cp, in);
      double[] scale = new double[out.length];
      for (int i = 0; i < out.length; i++) {
        scale[i] = Math.abs(g[0]) * (read.x0Scale()[i] + Math.abs(read.x0()[i]))
            + Math.abs(g[1] * in.xt().data()[i]) + sigma[i] * Math.abs(in.noise().data()[i]);
      }
      if (first == null) {
        first = p;
        firstOut = out;
        firstScale = scale;
        continue;
      }
      for (int i = 0; i < out.length; i++) {
        closeScaled(m, p + " vs " + first + " [" + i + "]", firstOut[i], out[i],
            firstScale[i] + scale[i]);
      }
    }
  }
}
