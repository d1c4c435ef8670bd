package org.diffusiontck.checks.rules.catalogue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.ScheduleTables;
import org.diffusiontck.checks.rules.Ask;
import org.diffusiontck.checks.rules.CaseRule;
import org.diffusiontck.checks.rules.Gen;
import org.diffusiontck.checks.rules.HighPrecision;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.ScheduleDefinitions;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;

/** SCHED: the noise schedule tables. */
final class ScheduleRules {
  private ScheduleRules() {}

  private static final List<Operation> OPS = List.of(Operation.SCHEDULE);

  /** ᾱ_t from β by products: T ≤ 1000 roundings of relative size ε each. */
  private static final Tolerances PRODUCT = new Tolerances(
      new Tolerance(0, 1e-11, "a product of T <= 1000 factors accumulates <= 1000 * 1.1e-16 = "
          + "1.1e-13 relative error; a route through exp(sum log1p(-beta)) adds T * eps * "
          + "|log alphaBar| <= 1000 * 1.1e-16 * 12 = 1.3e-12; 1e-11 covers both"),
      new Tolerance(0, 2e-4, "1000 float32 roundings of 6e-8 each accumulate to 6e-5 relative; "
          + "a log-sum route adds as much again; 2e-4"));

  static List<Rule> all() {
    return List.of(product(), monotone(), snr(), cosinePublished(), zeroTerminalSnr(),
        definitions(), cosineDefinition());
  }

  static Rule product() {
    return CaseRule.of(new RuleInfo("SCHED-1",
            "alphaBar_t is the product of (1 - beta_s) for s = 1..t, with alphaBar_0 = 1 and "
                + "beta_0 = 0.",
            "Ho et al. 2020, §2 (definition of alphaBar); spec/derivations/forward.md §1",
            "the product recomputed in 50-digit decimal arithmetic from the implementation's "
                + "own betas",
            Level.REQUIRED, PRODUCT),
        30, OPS, ScheduleCase::any, ScheduleCase::shrinks, (impl, c, m) -> {
          ScheduleTables tab = Ask.schedule(impl, c.spec());
          HighPrecision hp = new HighPrecision(tab.beta());
          m.require(tab.alphaBar()[0] == 1.0 && tab.beta()[0] == 0.0, "t = 0",
              () -> "alphaBar_0 = " + tab.alphaBar()[0] + ", beta_0 = " + tab.beta()[0]
                  + " (the kit's convention: 1 and 0)");
          for (int t = 1; t <= tab.T(); t++) {
            m.close("alphaBar_" + t, hp.alphaBar(t), tab.alphaBar()[t]);
          }
        });
  }

  static Rule monotone() {
    return CaseRule.of(new RuleInfo("SCHED-2",
            "Every beta_t (t >= 1) lies in (0, 1] and alphaBar_t decreases strictly from "
                + "alphaBar_0 = 1.",
            "Ho et al. 2020, §2: 0 < beta_t <= 1 makes each factor alpha_t < 1",
            "exact order relations on the implementation's tables",
            Level.REQUIRED, Tolerances.both(Tolerance.exact("order relations are exact"))),
        30, OPS, ScheduleCase::any, ScheduleCase::shrinks, (impl, c, m) -> {
          ScheduleTables tab = Ask.schedule(impl, c.spec());
          for (int t = 1; t <= tab.T(); t++) {
            int tt = t;
            m.require(tab.beta()[t] > 0 && tab.beta()[t] <= 1, "beta_" + t + " in (0, 1]",
                () -> "beta_" + tt + " = " + tab.beta()[tt]);
            m.require(tab.alphaBar()[t] < tab.alphaBar()[t - 1] && tab.alphaBar()[t] >= 0,
                "alphaBar_" + t + " < alphaBar_" + (t - 1),
                () -> "alphaBar_" + (tt - 1) + " = " + tab.alphaBar()[tt - 1] + ", alphaBar_" + tt
                    + " = " + tab.alphaBar()[tt]);
          }
        });
  }

  static Rule snr() {
    return CaseRule.of(new RuleInfo("SCHED-3",
            "SNR(t) = alphaBar_t / (1 - alphaBar_t) is +Infinity at t = 0 and decreases "
                + "strictly.",
            "Kingma et al. 2021, eq. 2 (SNR with alpha^2 = alphaBar, sigma^2 = 1 - alphaBar)",
            "SNR recomputed in 50-digit arithmetic from the implementation's betas, so that "
                + "1 - alphaBar does not cancel",
            Level.REQUIRED, new Tolerances(
                new Tolerance(0, 1e-11, "as SCHED-1, plus the cancellation of a naive "
                    + "1 - alphaBar_t: relative error eps / (1 - alphaBar_1) = 1.1e-16 / 1e-4 = "
                    + "1.1e-12 at t = 1 for beta_1 = 1e-4"),
                new Tolerance(0, 2e-3, "float32: a naive 1 - alphaBar_1 loses 6e-8 / 1e-4 = 6e-4 "
                    + "relative at t = 1 (beta_1 = 1e-4); 2e-3"))),
        30, OPS, ScheduleCase::any, ScheduleCase::shrinks, (impl, c, m) -> {
          ScheduleTables tab = Ask.schedule(impl, c.spec());
          HighPrecision hp = new HighPrecision(tab.beta());
          m.require(tab.snr()[0] == Double.POSITIVE_INFINITY, "SNR(0) = +Infinity",
              () -> "SNR(0) = " + tab.snr()[0]);
          for (int t = 1; t <= tab.T(); t++) {
            int tt = t;
            m.close("SNR(" + t + ")", hp.snr(t), tab.snr()[t]);
            m.require(tab.snr()[t] < tab.snr()[t - 1], "SNR(" + t + ") < SNR(" + (t - 1) + ")",
                () -> "SNR(" + (tt - 1) + ") = " + tab.snr()[tt - 1] + ", SNR(" + tt + ") = "
                    + tab.snr()[tt]);
          }
        });
  }

  static Rule cosinePublished() {
    Tolerance published = new Tolerance(5e-8, 0,
        "the published value 4.13e-5 has three significant figures");
    return CaseRule.of(new RuleInfo("SCHED-4",
            "The cosine schedule for T = 1000 (s = 0.008, cap 0.999) has beta_1 = 4.13e-5 and "
                + "beta_T = 0.999 exactly (the cap), and no beta exceeds the cap.",
            "Nichol & Dhariwal 2021, eq. 17 and §3.2 (beta clipped at 0.999)",
            "published values (beta_1 to three significant figures; beta_T equals the cap)",
            Level.OPTIONAL, new Tolerances(
                Tolerance.exact("min(x, 0.999) returns the cap itself"),
                new Tolerance(0, 6e-8, "the cap rounded to float32: 0.999f differs from 0.999 by "
                    + "1.3e-8 relative; one float32 ulp"))),
        1, OPS, (r, d) -> new ScheduleCase(ScheduleSpec.cosine(1000, 0.008, 0.999)),
        c -> List.of(), (impl, c, m) -> {
          ScheduleTables tab = Ask.schedule(impl, c.spec());
          m.close("beta_1", 4.13e-5, tab.beta()[1], published);
          m.close("beta_1000", 0.999, tab.beta()[1000]);
          for (int t = 1; t <= 1000; t++) {
            int tt = t;
            m.require(tab.beta()[t] <= 0.999 + m.tolerance().allowed(0.999), "beta_" + t + " <= cap",
                () -> "beta_" + tt + " = " + tab.beta()[tt]);
          }
        }).when(d -> d.schedules().contains(ScheduleKind.COSINE), "cosine schedule not declared");
  }

  static Rule zeroTerminalSnr() {
    return CaseRule.of(new RuleInfo("SCHED-5",
            "Rescaling to zero terminal SNR makes alphaBar_T exactly 0, keeps alphaBar_1, and "
                + "maps sqrt(alphaBar_t) affinely: (sqrt(alphaBar_t) - sqrt(alphaBar_T)) * "
                + "sqrt(alphaBar_1) / (sqrt(alphaBar_1) - sqrt(alphaBar_T)).",
            "Lin et al. 2024, Algorithm 1",
            "the affine map evaluated in 50-digit arithmetic on the implementation's own "
                + "un-rescaled schedule",
            Level.OPTIONAL, new Tolerances(
                new Tolerance(1e-15, 1e-11, "the square roots and the affine map cost a few "
                    + "roundings (1e-15 absolute); recomputing alphaBar from the rescaled betas "
                    + "costs what SCHED-1 allows (1e-11 relative)"),
                new Tolerance(1e-6, 2e-4, "float32: a few roundings of 6e-8, plus SCHED-1's "
                    + "2e-4 relative"))),
        30, OPS, (r, d) -> ScheduleCase.plain(r, d, k -> true, 2),
        c -> c.shrinks().stream().filter(k -> k.spec().steps() >= 2).toList(),
        (impl, c, m) -> {
          ScheduleTables plain = Ask.schedule(impl, c.spec());
          ScheduleTables zero = Ask.schedule(impl, c.spec().withZeroTerminalSnr());
          int T = plain.T();
          m.require(zero.alphaBar()[T] == 0.0, "alphaBar_T = 0 exactly",
              () -> "alphaBar_" + T + " = " + zero.alphaBar()[T]);
          m.close("alphaBar_1", plain.alphaBar()[1], zero.alphaBar()[1]);
          MathContext mc = new MathContext(40);
          BigDecimal first = new BigDecimal(plain.alphaBar()[1]).sqrt(mc);
          BigDecimal last = new BigDecimal(plain.alphaBar()[T]).sqrt(mc);
          for (int t = 1; t < T; t++) {
            BigDecimal root = new BigDecimal(plain.alphaBar()[t]).sqrt(mc)
                .subtract(last).multiply(first).divide(first.subtract(last), mc);
            m.close("alphaBar_" + t, root.multiply(root).doubleValue(), zero.alphaBar()[t]);
          }
        }).when(d -> d.zeroTerminalSnr(), "zero terminal SNR not declared");
  }

  static Rule definitions() {
    return CaseRule.of(new RuleInfo("SCHED-6",
            "The linear (under the declared endpoint convention), scaled-linear and sigmoid "
                + "schedules' betas, and explicit betas, equal their defining equations.",
            "Ho et al. 2020 §4; Rombach et al. 2022; Xu et al. 2022 (sigmoid); "
                + "spec/CONVENTIONS.md (linear endpoints)",
            "each definition evaluated in 40-digit arithmetic (Commons Math Dfp)",
            Level.REQUIRED, new Tolerances(
                new Tolerance(0, 1e-14, "a + f (b - a) and its variants (numpy's linspace) "
                    + "round a few times at the size of beta: within 4 ulps, 1e-14 relative"),
                new Tolerance(0, 5e-7, "float32: the endpoints and a few operations round to "
                    + "6e-8 each; 5e-7"))),
        30, OPS, (r, d) -> ScheduleCase.plain(r, d, k -> k != ScheduleKind.COSINE),
        ScheduleCase::shrinks, (impl, c, m) -> {
          ScheduleTables tab = Ask.schedule(impl, c.spec());
          double[] expected =
              ScheduleDefinitions.betas(c.spec(), impl.declaration().conventions().linearEndpoints());
          for (int t = 1; t <= tab.T(); t++) {
            m.close("beta_" + t, expected[t], tab.beta()[t]);
          }
        }).when(d -> d.schedules().stream().anyMatch(k -> k != ScheduleKind.COSINE),
            "no linear, scaled-linear, sigmoid or explicit schedule declared");
  }

  static Rule cosineDefinition() {
    return CaseRule.of(new RuleInfo("SCHED-7",
            "The cosine schedule's betas equal min(1 - f(t)/f(t-1), maxBeta) with f(t) = "
                + "cos^2(((t/T + s)/(1 + s)) pi/2).",
            "Nichol & Dhariwal 2021, eq. 17",
            "the definition evaluated in 40-digit arithmetic (Commons Math Dfp)",
            Level.OPTIONAL, new Tolerances(
                new Tolerance(1e-15, 1e-14, "1 - f(t)/f(t-1) cancels: the ratio's few ulps near 1 "
                    + "become an absolute error of a few 1.1e-16 in beta (1e-15), plus 1e-14 "
                    + "relative; the absolute part is multiplied by 1 + kappa, kappa = "
                    + "2|x tan x| summed over both arguments x of cos^2, the condition number that "
                    + "amplifies the argument's rounding as x nears pi/2 (t near T)"),
                new Tolerance(5e-7, 1e-6, "float32: the ratio's ulps near 1 (6e-8 each) become "
                    + "an absolute error of a few 6e-8 in beta (5e-7), times 1 + kappa as for "
                    + "float64"))),
        30, OPS, (r, d) -> new ScheduleCase(ScheduleSpec.cosine(
            Gen.steps(r, d), 0.008, 0.999)),
        ScheduleCase::shrinks, (impl, c, m) -> {
          ScheduleTables tab = Ask.schedule(impl, c.spec());
          double[] expected = ScheduleDefinitions.betas(c.spec(), null);
          Tolerance base = m.tolerance();
          for (int t = 1; t <= tab.T(); t++) {
            // where the definition gives the cap itself, no cosine is evaluated: no amplification
            double kappa = expected[t] == c.spec().cosineMaxBeta() ? 0
                : cosineCondition(t, tab.T()) + cosineCondition(t - 1, tab.T());
            m.close("beta_" + t, expected[t], tab.beta()[t],
                new Tolerance(base.abs() * (1 + kappa), base.rel(), base.why()));
          }
        }).when(d -> d.schedules().contains(ScheduleKind.COSINE), "cosine schedule not declared");
  }

  /** 2|x tan x| at x = ((t/T + s)/(1 + s)) pi/2: the condition number of cos^2 there. */
  private static double cosineCondition(int t, int T) {
    double x = ((double) t / T + 0.008) / 1.008 * Math.PI / 2;
    return 2 * Math.abs(x * Math.tan(x));
  }
}
