package org.diffusiontck.checks.rules.catalogue;

import java.util.List;
import java.util.SplittableRandom;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.T1LogVariance;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.diffusiontck.checks.rules.Ask;
import org.diffusiontck.checks.rules.CaseRule;
import org.diffusiontck.checks.rules.Gen;
import org.diffusiontck.checks.rules.HighPrecision;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.TensorCase;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;

/** VAR: the variance σ_t² of the reverse step p_θ(x_{t−1} | x_t). */
final class VarianceRules {
  private VarianceRules() {}

  /** The floor of the CLAMP_1E_20 convention (diffusers' {@code clamp(min=1e-20)}). */
  private static final double CLAMP = 1e-20;

  static List<Rule> all() {
    return List.of(logVariance());
  }

  /** log β̃_t = log((1 − ᾱ_{t−1}) β_t / (1 − ᾱ_t)) for t ≥ 2, by Bayes' rule in 50 digits. */
  static double logBetaTilde(HighPrecision hp, int t) {
    return Math.log(PosteriorRules.gaussianProduct(hp, t, t - 1)[2]);
  }

  /**
   * log σ_t² of FIXED_SMALL, also the lower end of LEARNED_RANGE: log β̃_t (floored at 1e-20 under
   * CLAMP_1E_20), and at t = 1, where β̃_1 = 0, log β̃_2, log 1e-20 or log β_1 by the convention.
   */
  static double fixedSmall(HighPrecision hp, double[] beta, T1LogVariance c, int t) {
    if (t >= 2) {
      return c == T1LogVariance.CLAMP_1E_20
          ? Math.max(logBetaTilde(hp, t), Math.log(CLAMP)) : logBetaTilde(hp, t);
    }
    return switch (c) {
      case CLIP_TO_BETA_TILDE_2 -> logBetaTilde(hp, 2);
      case CLAMP_1E_20 -> Math.log(CLAMP);
      case BETA_1 -> Math.log(beta[1]);
    };
  }

  /** log σ_t² of FIXED_LARGE: log β_t, and at t = 1 log β̃_2 under CLIP_TO_BETA_TILDE_2 (Ho's code). */
  static double fixedLarge(HighPrecision hp, double[] beta, T1LogVariance c, int t) {
    return t == 1 && c == T1LogVariance.CLIP_TO_BETA_TILDE_2 ? logBetaTilde(hp, 2)
        : Math.log(beta[t]);
  }

  /**
   * The expected log σ_t² for a choice, given FIXED_SMALL's and FIXED_LARGE's values at t, log β_t
   * and the model's variance output y (learned choices).
   */
  static double expected(VarianceChoice choice, double small, double large, double logBeta,
      double y) {
    return switch (choice) {
      case FIXED_SMALL -> small;
      case FIXED_LARGE -> large;
      case LEARNED_LOG_VARIANCE -> y;
      case LEARNED_VARIANCE -> Math.log(y);
      case LEARNED_RANGE -> {
        double v = (y + 1) / 2;
        yield v * logBeta + (1 - v) * small;
      }
    };
  }

  /** A model variance output for a learned choice from standard normals z; null for fixed ones. */
  static Tensor varianceOutput(VarianceChoice choice, Tensor z) {
    if (!choice.learned()) {
      return null;
    }
    double[] y = new double[z.data().length];
    for (int i = 0; i < y.length; i++) {
      double zi = z.data()[i];
      y[i] = switch (choice) {
        case LEARNED_LOG_VARIANCE -> -7 + 3 * zi;
        case LEARNED_VARIANCE -> Math.exp(-7 + 3 * zi);
        default -> Math.max(-1, Math.min(1, zi / 1.5)); // u in [-1, 1], the ends included
      };
    }
    return z.withData(y);
  }

  /** A tensor case with T ≥ 2 wherever the convention needs β̃_2. */
  private static TensorCase generate(SplittableRandom r, Declaration d) {
    TensorCase c = TensorCase.generate(r, d, 1);
    if (c.schedule().steps() >= 2
        || d.conventions().t1LogVariance() != T1LogVariance.CLIP_TO_BETA_TILDE_2) {
      return c;
    }
    ScheduleSpec two = Gen.schedule(r, d, c.schedule().kind(), 2);
    return new TensorCase(two, c.shape(), c.t(), c.s(), c.seed());
  }

  static Rule logVariance() {
    return CaseRule.of(new RuleInfo("VAR-1",
            "log sigma_t^2 of the reverse step is, per variance choice: log betaTilde_t (fixed "
                + "small), log beta_t (fixed large), the model output (learned log-variance), its "
                + "logarithm (learned variance), and v log beta_t + (1 - v) log betaTilde_t with "
                + "v = (u + 1)/2 (learned range); at t = 1, where betaTilde_1 = 0, fixed small and "
                + "the lower end of the range take log betaTilde_2, log 1e-20 or log beta_1 as "
                + "the declared convention says, and fixed large takes log betaTilde_2 under "
                + "CLIP_TO_BETA_TILDE_2 and log beta_1 otherwise.",
            "Ho et al. 2020, §3.2 and eq. 7; Nichol & Dhariwal 2021, eq. 15; "
                + "spec/CONVENTIONS.md §3-4",
            "betaTilde_t by Bayes' rule with 50-digit alphaBar from the implementation's own "
                + "betas; the learned outputs drawn by the rule (u includes -1 and 1)",
            Level.REQUIRED, new Tolerances(
                new Tolerance(1e-11, 1e-14, "an absolute error in log sigma^2 is a relative one "
                    + "in sigma^2: a naive 1 - alphaBar_{t-1} costs eps / beta_1 <= 2.7e-12 "
                    + "(beta_1 >= 4.1e-5), the ratio (1 - alphaBar_{t-1}) / (1 - alphaBar_t) and "
                    + "beta_{t|t-1} = 1 - alphaBar_t / alphaBar_{t-1} as much again each: "
                    + "1e-11; the interpolation rounds at the size of |log 1e-20| = 46: 1e-14 "
                    + "relative; its two terms v log beta and (1 - v) log betaTilde are of one "
                    + "sign (both logarithms negative), so relative to the sum is relative to "
                    + "its terms"),
                new Tolerance(5e-3, 1e-6, "float32: a naive 1 - alphaBar_{t-1} loses 6e-8 / "
                    + "4.1e-5 = 1.5e-3 relative, three such factors: 5e-3 in the logarithm; "
                    + "outputs rounded to float32: 1e-6 relative"))),
        20, List.of(Operation.SCHEDULE, Operation.REVERSE_LOG_VARIANCE), VarianceRules::generate,
        TensorCase::shrinks, (impl, c, m) -> {
          double[] beta = Ask.schedule(impl, c.schedule()).beta();
          HighPrecision hp = new HighPrecision(beta);
          T1LogVariance convention = impl.declaration().conventions().t1LogVariance();
          Tensor xt = c.normal(1);
          int per = xt.perSample();
          double[] small = new double[c.batch()];
          double[] large = new double[c.batch()];
          for (int b = 0; b < c.batch(); b++) {
            small[b] = fixedSmall(hp, beta, convention, c.t()[b]);
            large[b] = fixedLarge(hp, beta, convention, c.t()[b]);
          }
          for (VarianceChoice choice : VarianceChoice.values()) {
            if (!impl.declaration().varianceChoices().contains(choice)) {
              continue;
            }
            Tensor y = varianceOutput(choice, c.normal(2));
            Tensor out = Ask.tensor(impl,
                new Requests.ReverseLogVariance(c.schedule(), choice, xt, c.t(), y), xt.shape());
            for (int i = 0; i < out.data().length; i++) {
              int b = i / per;
              int t = c.t()[b];
              m.close("log sigma^2 (" + choice + ") [" + i + "] at t = " + t,
                  expected(choice, small[b], large[b], Math.log(beta[t]),
                      y == null ? 0 : y.data()[i]), out.data()[i]);
            }
          }
        });
  }
}
