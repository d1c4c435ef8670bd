package org.diffusiontck.checks.rules.catalogue;

import java.util.List;
import java.util.SplittableRandom;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Quantity;
import org.diffusiontck.checks.impl.Rejected;
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
import org.diffusiontck.checks.rules.TensorCase;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;

/**
 * CONV: the parameterizations ε, x_0, v and score. Every quantity is a linear combination of x_0
 * and ε given t (with a = √ᾱ_t, b = √(1 − ᾱ_t)): x_t = a x_0 + b ε, v = a ε − b x_0, score = −ε/b.
 * A conversion is then q_to = c_1 x_t + c_2 q_from with (c_1, c_2) solving a 2×2 system, and its
 * rounding error is bounded by u · (|c_1 x_t| + |c_2 q_from|): the tolerances below are per unit
 * of that scale, so they follow the conditioning (large near t = T where a is small).
 */
final class ConversionRules {
  private ConversionRules() {}

  private static final List<Operation> OPS = List.of(Operation.SCHEDULE, Operation.CONVERT);

  private static final Tolerances PER_UNIT = new Tolerances(
      new Tolerance(2e-12, 0, "per unit of |c1 x_t| + |c2 q_from|: a few roundings (16 * 1.1e-16) "
          + "plus coefficients off by up to eps / beta_1 = 1.1e-12 relative through a naive "
          + "1 - alphaBar_t"),
      new Tolerance(1e-3, 0, "float32, per unit of |c1 x_t| + |c2 q_from|: a naive "
          + "1 - alphaBar_t loses 6e-8 / 1e-4 = 6e-4 relative at t = 1"));

  static List<Rule> all() {
    return List.of(definitions(), roundTrips(), zeroTerminalSnr());
  }

  /** (x_0, ε) components of a quantity at (a, b). */
  private static double[] basis(Quantity q, double a, double b) {
    return switch (q) {
      case X0 -> new double[] {1, 0};
      case EPSILON -> new double[] {0, 1};
      case V -> new double[] {-b, a};
      case SCORE -> new double[] {0, -1 / b};
    };
  }

  /** (c_1, c_2) with to = c_1 x_t + c_2 from, or null where the system is singular. */
  static double[] coefficients(Quantity from, Quantity to, double a, double b) {
    double[] f = basis(from, a, b);
    double[] g = basis(to, a, b);
    double det = a * f[1] - b * f[0];
    if (det == 0) {
      return null;
    }
    return new double[] {(g[0] * f[1] - g[1] * f[0]) / det, (a * g[1] - b * g[0]) / det};
  }

  /** The tensor of quantity q for the case's x_0 (stream 0) and ε (stream 1). */
  private static double[] quantity(Quantity q, double[] x0, double[] eps, double[] a, double[] b,
      int per) {
    double[] out = new double[x0.length];
    for (int i = 0; i < out.length; i++) {
      double[] k = basis(q, a[i / per], b[i / per]);
      out[i] = k[0] * x0[i] + k[1] * eps[i];
    }
    return out;
  }

  /** Everything a conversion check needs for one case. */
  private record Setup(double[] a, double[] b, Tensor x0, Tensor eps, Tensor xt, int per) {
    static Setup of(DiffusionImplementation impl, TensorCase c) {
      HighPrecision hp = new HighPrecision(Ask.schedule(impl, c.schedule()).beta());
      double[] a = new double[c.batch()];
      double[] b = new double[c.batch()];
      for (int i = 0; i < a.length; i++) {
        a[i] = Math.sqrt(hp.alphaBar(c.t()[i]));
        b[i] = Math.sqrt(hp.oneMinusAlphaBar(c.t()[i]));
      }
      Tensor x0 = c.normal(0);
      Tensor eps = c.normal(1);
      int per = x0.perSample();
      Tensor xt = x0.withData(
          new double[x0.data().length]);
      for (int i = 0; i < xt.data().length; i++) {
        xt.data()[i] = a[i / per] * x0.data()[i] + b[i / per] * eps.data()[i];
      }
      return new Setup(a, b, x0, eps, xt, per);
    }

    double[] of(Quantity q) {
      return quantity(q, x0.data(), eps.data(), a, b, per);
    }

    /** Whether every batch element's conversion from → to is defined. */
    boolean defined(Quantity from, Quantity to) {
      for (int i = 0; i < a.length; i++) {
        if (coefficients(from, to, a[i], b[i]) == null) {
          return false;
        }
      }
      return true;
    }

    /** u · (|c1 x_t| + |c2 y|) at element i of the conversion from → to applied to y. */
    double scale(Quantity from, Quantity to, double[] y, int i) {
      double[] c = coefficients(from, to, a[i / per], b[i / per]);
      return Math.abs(c[0] * xt.data()[i]) + Math.abs(c[1] * y[i]);
    }
  }

  private static void closeScaled(Measurement m, String what, double expected, double observed,
      double scale) {
    Tolerance unit = m.tolerance();
    m.close(what, expected, observed, new Tolerance(unit.abs() * scale, 0, unit.why()));
  }

  static Rule definitions() {
    return CaseRule.of(new RuleInfo("CONV-1",
            "Each conversion between eps, x_0, v and the score, given x_t and t >= 1, returns "
                + "the quantity defined by x_t = sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps, "
                + "v = sqrt(alphaBar_t) eps - sqrt(1 - alphaBar_t) x_0 and score = "
                + "-eps / sqrt(1 - alphaBar_t).",
            "Ho et al. 2020, eqs. 4 and 15; Salimans & Ho 2022, §4 and Appendix D; "
                + "Song et al. 2021b, §3.3; spec/derivations/parameterizations.md",
            "all four quantities built from x_0 and eps with 50-digit coefficients; error "
                + "bound scaled by each conversion's conditioning",
            Level.REQUIRED, PER_UNIT),
        40, OPS, (r, d) -> TensorCase.generate(r, d, 1), TensorCase::shrinks, (impl, c, m) -> {
          Setup s = Setup.of(impl, c);
          for (Quantity from : Quantity.values()) {
            for (Quantity to : Quantity.values()) {
              if (!impl.declaration().converts(from, to) || !s.defined(from, to)) {
                continue;
              }
              double[] y = s.of(from);
              double[] expected = s.of(to);
              Tensor out = Ask.convert(impl, c.schedule(), from, to, s.xt(), c.t(),
                  s.x0().withData(y));
              for (int i = 0; i < y.length; i++) {
                closeScaled(m, from.label() + " -> " + to.label() + " [" + i + "] at t = "
                    + c.t()[i / s.per()], expected[i], out.data()[i], s.scale(from, to, y, i));
              }
            }
          }
        });
  }

  static Rule roundTrips() {
    return CaseRule.of(new RuleInfo("CONV-2",
            "Converting from any of eps, x_0, v, score to another and back returns the input, "
                + "at every t including 1 and T.",
            "Ho et al. 2020, eq. 15; Salimans & Ho 2022, Appendix D; "
                + "spec/derivations/parameterizations.md",
            "round trip: the identity, with the two conversions' error bounds composed",
            Level.REQUIRED, PER_UNIT),
        40, OPS, (r, d) -> TensorCase.generate(r, d, 1), TensorCase::shrinks, (impl, c, m) -> {
          Setup s = Setup.of(impl, c);
          for (Quantity from : Quantity.values()) {
            for (Quantity to : Quantity.values()) {
              if (!impl.declaration().converts(from, to) || !impl.declaration().converts(to, from)
                  || !s.defined(from, to) || !s.defined(to, from)) {
                continue;
              }
              double[] y = s.of(from);
              Tensor there = Ask.convert(impl, c.schedule(), from, to, s.xt(), c.t(),
                  s.x0().withData(y));
              Tensor back = Ask.convert(impl, c.schedule(), to, from, s.xt(), c.t(), there);
              for (int i = 0; i < y.length; i++) {
                double[] k = coefficients(to, from, s.a()[i / s.per()], s.b()[i / s.per()]);
                double scale = s.scale(to, from, there.data(), i)
                    + Math.abs(k[1]) * s.scale(from, to, y, i);
                closeScaled(m, from.label() + " -> " + to.label() + " -> " + from.label() + " ["
                    + i + "] at t = " + c.t()[i / s.per()], y[i], back.data()[i], scale);
              }
            }
          }
        });
  }

  /** A case on a zero-terminal-SNR schedule at t = T. */
  private static TensorCase terminal(SplittableRandom r, Declaration d) {
    ScheduleSpec spec = Gen.schedule(r, d);
    if (spec.steps() < 2) {
      spec = Gen.schedule(r, d, spec.kind(), 2);
    }
    ScheduleSpec zero = spec.zeroTerminalSnr() ? spec : spec.withZeroTerminalSnr();
    return new TensorCase(zero, new long[] {1, 3}, new int[] {zero.steps()},
        new int[] {zero.steps() - 1}, r.nextLong());
  }

  static Rule zeroTerminalSnr() {
    Quantity[][] undefined = {{Quantity.EPSILON, Quantity.X0}, {Quantity.EPSILON, Quantity.V},
        {Quantity.SCORE, Quantity.X0}, {Quantity.SCORE, Quantity.V}};
    return CaseRule.of(new RuleInfo("CONV-3",
            "Where alphaBar_t = 0 (t = T under zero terminal SNR), converting eps or the score to "
                + "x_0 or v is refused with an error, never answered with Infinity or NaN; "
                + "x_0 -> eps, v -> x_0 and v -> eps stay defined (eps = x_t, x_0 = -v).",
            "Lin et al. 2024, §3.2 (eps-prediction is undefined at zero SNR); "
                + "spec/CONVENTIONS.md, zero terminal SNR",
            "exact: at alphaBar_t = 0, x_t = eps carries no information about x_0",
            Level.OPTIONAL, Tolerances.both(new Tolerance(1e-15, 1e-15,
                "at alphaBar_t = 0 the defined conversions are negations and copies of "
                    + "values below 6, up to one rounding"))),
        5, OPS, ConversionRules::terminal, c -> List.of(), (impl, c, m) -> {
          Tensor x0 = c.normal(0);
          Tensor eps = c.normal(1);
          Declaration d = impl.declaration();
          for (Quantity[] p : undefined) {
            if (!d.converts(p[0], p[1])) {
              continue;
            }
            String what = p[0].label() + " -> " + p[1].label() + " at alphaBar_T = 0";
            try {
              Tensor out = Ask.convert(impl, c.schedule(), p[0], p[1], eps, c.t(), eps);
              m.fail(what + ": expected a refusal, got " + java.util.Arrays.toString(out.data()));
            } catch (Rejected | IllegalArgumentException e) {
              // the refusal this rule asks for
            } catch (org.diffusiontck.checks.rules.ImplementationError e) {
              m.fail(what + ": expected a refusal, got an unusable answer: " + e.getMessage());
            }
          }
          Tensor v = eps.withData(negated(x0.data()));
          if (d.converts(Quantity.X0, Quantity.EPSILON)) {
            m.close("x0 -> eps", eps.data(), Ask.convert(impl, c.schedule(), Quantity.X0,
                Quantity.EPSILON, eps, c.t(), x0).data());
          }
          if (d.converts(Quantity.V, Quantity.X0)) {
            m.close("v -> x0", x0.data(), Ask.convert(impl, c.schedule(), Quantity.V,
                Quantity.X0, eps, c.t(), v).data());
          }
          if (d.converts(Quantity.V, Quantity.EPSILON)) {
            m.close("v -> eps", eps.data(), Ask.convert(impl, c.schedule(), Quantity.V,
                Quantity.EPSILON, eps, c.t(), v).data());
          }
        }).when(Declaration::zeroTerminalSnr, "zero terminal SNR not declared");
  }

  private static double[] negated(double[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = -x[i];
    }
    return out;
  }
}
