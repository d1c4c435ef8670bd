package org.diffusiontck.checks.rules;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Operation;

/**
 * A {@link PropertyRule} assembled from its parts: what it needs, how it draws a case, how a case
 * shrinks, and what it checks. Most rules of the catalogue are one of these.
 */
public final class CaseRule<C> extends PropertyRule<C> {
  /** The check of one case. */
  @FunctionalInterface
  public interface Check<C> {
    void check(DiffusionImplementation impl, C c, Measurement m);
  }

  private final List<Operation> operations;
  private final Predicate<Declaration> extra;
  private final String extraReason;
  private final BiFunction<SplittableRandom, Declaration, C> generator;
  private final Function<C, List<C>> shrinker;
  private final Check<C> check;

  private CaseRule(RuleInfo info, int tries, List<Operation> operations,
      Predicate<Declaration> extra, String extraReason,
      BiFunction<SplittableRandom, Declaration, C> generator, Function<C, List<C>> shrinker,
      Check<C> check) {
    super(info, tries);
    this.operations = operations;
    this.extra = extra;
    this.extraReason = extraReason;
    this.generator = generator;
    this.shrinker = shrinker;
    this.check = check;
  }

  /** A rule needing {@code operations}, drawing {@code tries} cases. */
  public static <C> CaseRule<C> of(RuleInfo info, int tries, List<Operation> operations,
      BiFunction<SplittableRandom, Declaration, C> generator, Function<C, List<C>> shrinker,
      Check<C> check) {
    return new CaseRule<>(info, tries, operations, d -> true, "", generator, shrinker, check);
  }

  /** The same rule, also needing {@code condition} of the declaration ({@code reason} if not). */
  public CaseRule<C> when(Predicate<Declaration> condition, String reason) {
    return new CaseRule<>(info(), triesDeclared(), operations, extra.and(condition),
        extraReason.isEmpty() ? reason : extraReason + "; " + reason, generator, shrinker, check);
  }

  @Override
  public List<Operation> operations() {
    return operations;
  }

  @Override
  public Optional<String> missing(Declaration d) {
    for (Operation op : operations) {
      if (!d.offers(op)) {
        return Optional.of("operation " + op.label() + " not declared");
      }
    }
    return extra.test(d) ? Optional.empty() : Optional.of(extraReason);
  }

  @Override
  protected C generate(SplittableRandom random, Declaration declaration) {
    return generator.apply(random, declaration);
  }

  @Override
  protected List<C> shrink(C c) {
    return shrinker.apply(c);
  }

  @Override
  protected void check(DiffusionImplementation impl, C c, Measurement m) {
    check.check(impl, c, m);
  }
}
