package org.diffusiontck.checks.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.diffusiontck.checks.impl.DiffusionImplementation;

/**
 * Runs rules against one implementation: skips those whose needs are not declared (with the reason),
 * turns a crash of the implementation into an ERROR of that rule, and goes on to the end.
 */
public final class RuleRunner {
  /** Told about each rule as it starts and ends (progress on the console). */
  public interface Listener {
    default void started(RuleInfo info, int index, int total) {}

    default void finished(RuleResult result, int index, int total) {}
  }

  private final RunSettings settings;

  public RuleRunner(RunSettings settings) {
    this.settings = settings;
  }

  public List<RuleResult> run(
      DiffusionImplementation impl, List<? extends Rule> rules, Listener listener) {
    List<RuleResult> results = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      listener.started(rule.info(), i, rules.size());
      RuleResult result = runOne(impl, rule);
      results.add(result);
      listener.finished(result, i, rules.size());
    }
    return results;
  }

  /** One rule: SKIP, or its verdict, or ERROR if the implementation could not be asked. */
  public RuleResult runOne(DiffusionImplementation impl, Rule rule) {
    Optional<String> missing = rule.missing(impl.declaration());
    if (missing.isPresent()) {
      return RuleResult.skipped(rule.info(), missing.get());
    }
    long start = System.nanoTime();
    try {
      return rule.run(impl, settings);
    } catch (ImplementationError | UnsupportedOperationException e) {
      return error(rule, e.getMessage(), start);
    } catch (RuntimeException e) {
      return error(rule, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(),
          start);
    }
  }

  private static RuleResult error(Rule rule, String message, long start) {
    return new RuleResult(rule.info(), Status.ERROR, message, null, 0, 0, 0, "", null, 0,
        (System.nanoTime() - start) / 1_000_000);
  }
}
