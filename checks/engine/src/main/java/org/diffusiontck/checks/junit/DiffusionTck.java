package org.diffusiontck.checks.junit;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.stream.Stream;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.RunSettings;
import org.diffusiontck.checks.rules.Status;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every rule of the kit as a JUnit 5 test, for a JVM implementation: extend this class in your own
 * test sources and return your implementation. One dynamic test per rule, named by its ID; a rule
 * whose needs your declaration lacks is reported as skipped with the reason.
 *
 * <pre>
 * class MyDiffusionTckTest extends DiffusionTck {
 *   protected DiffusionImplementation implementation() { return new MyDiffusion(); }
 * }
 * </pre>
 */
public abstract class DiffusionTck {
  /**
   * The implementation under test.
   *
   * @return the implementation; asked for once, before the rules run
   */
  protected abstract DiffusionImplementation implementation();

  /**
   * The run's seed, tries and tolerance overrides.
   *
   * @return the kit's defaults unless overridden
   */
  protected RunSettings settings() {
    return RunSettings.defaults();
  }

  /**
   * The rules to run.
   *
   * @return the whole catalogue unless overridden
   */
  protected List<Rule> rules() {
    return Catalogue.all();
  }

  @TestFactory
  Stream<DynamicTest> rulesOfTheKit() {
    DiffusionImplementation impl = implementation();
    RuleRunner runner = new RuleRunner(settings());
    return rules().stream().map(rule -> DynamicTest.dynamicTest(
        rule.info().id() + ": " + rule.info().statement(), () -> verdict(runner.runOne(impl, rule))));
  }

  private static void verdict(RuleResult r) {
    if (r.status() == Status.SKIP) {
      Assumptions.abort(r.info().id() + " skipped: " + r.message());
    }
    if (r.status() != Status.PASS) {
      fail(describe(r));
    }
  }

  /**
   * A failure as a reader needs it.
   *
   * @param r a rule's result
   * @return the rule, what went wrong, the tolerance and the counterexample
   */
  public static String describe(RuleResult r) {
    StringBuilder b = new StringBuilder(r.info().id()).append(' ').append(r.status())
        .append(": ").append(r.message());
    if (r.tolerance() != null) {
      b.append("\n  tolerance: ").append(r.tolerance());
    }
    if (r.counterexample() != null) {
      b.append("\n  counterexample: ").append(r.counterexample());
    }
    return b.toString();
  }
}
