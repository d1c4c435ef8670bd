package org.diffusiontck.checks.rules;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Rejected;

/**
 * A rule checked on generated cases. Each try draws a case from a generator seeded by the run's
 * seed and the rule's ID; the first failing case is shrunk greedily (each {@link #shrink}
 * candidate that still fails replaces it) to a minimal counterexample for the report.
 *
 * @param <C> the case type; its {@code toString} is the counterexample shown to users
 */
public abstract class PropertyRule<C> implements Rule {
  private static final int MAX_SHRINK_STEPS = 200;

  private final RuleInfo info;
  private final int tries;

  protected PropertyRule(RuleInfo info, int tries) {
    this.info = info;
    this.tries = tries;
  }

  @Override
  public RuleInfo info() {
    return info;
  }

  /** The number of cases drawn at the default settings. */
  public int triesDeclared() {
    return tries;
  }

  @Override
  public Optional<String> missing(Declaration declaration) {
    return Optional.empty();
  }

  /** A fresh case for this implementation. */
  protected abstract C generate(SplittableRandom random, Declaration declaration);

  /** Simpler cases than {@code c}, most aggressive first; none by default. */
  protected List<C> shrink(C c) {
    return List.of();
  }

  /** Checks one case, recording comparisons and violated properties in {@code m}. */
  protected abstract void check(DiffusionImplementation impl, C c, Measurement m);

  @Override
  public RuleResult run(DiffusionImplementation impl, RunSettings settings) {
    long start = System.nanoTime();
    Tolerance tol =
        settings.toleranceFor(info.id(), info.tolerances().of(impl.declaration().dtype()));
    SplittableRandom random = new SplittableRandom(settings.seedFor(info.id()));
    int n = settings.tries(tries);
    double worstAbs = 0;
    double worstRel = 0;
    double worstRatio = -1;
    String where = "";
    for (int i = 0; i < n; i++) {
      C c = generate(random, impl.declaration());
      Measurement m = measure(impl, c, tol);
      worstAbs = Math.max(worstAbs, m.worstAbs());
      worstRel = Math.max(worstRel, m.worstRel());
      if (m.worstRatio() > worstRatio) {
        worstRatio = m.worstRatio();
        where = m.where() + " in " + c;
      }
      if (m.failed()) {
        C minimal = shrinkWhile(c, k -> measure(impl, k, tol).failed());
        Measurement mm = measure(impl, minimal, tol);
        return new RuleResult(info, Status.FAIL, mm.failure(), tol,
            Math.max(worstAbs, mm.worstAbs()), Math.max(worstRel, mm.worstRel()),
            Math.max(worstRatio, mm.worstRatio()), mm.where(),
            minimal.toString(), i + 1, millisSince(start));
      }
    }
    return new RuleResult(info, Status.PASS, "", tol, worstAbs, worstRel, Math.max(0, worstRatio),
        where, null, n, millisSince(start));
  }

  private Measurement measure(DiffusionImplementation impl, C c, Tolerance tol) {
    Measurement m = new Measurement(tol);
    try {
      check(impl, c, m);
    } catch (Rejected | IllegalArgumentException e) {
      m.fail("the implementation rejected a valid input: " + e.getMessage());
    }
    return m;
  }

  private C shrinkWhile(C c, Predicate<C> fails) {
    C current = c;
    for (int step = 0; step < MAX_SHRINK_STEPS; step++) {
      Optional<C> smaller = shrink(current).stream().filter(fails).findFirst();
      if (smaller.isEmpty()) {
        return current;
      }
      current = smaller.get();
    }
    return current;
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
