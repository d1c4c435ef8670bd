package org.diffusiontck.checks.report;

import java.time.Instant;
import java.util.List;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.RunSettings;
import org.diffusiontck.checks.rules.Status;

/**
 * One run of rules against one implementation, as the reports show it.
 *
 * @param implementation the implementation's declared name
 * @param dtype its declared dtype label
 * @param settings seed, tries and overrides of the run
 * @param results one per rule, in catalogue order
 * @param started when the run began
 * @param millis how long it took
 */
public record Run(String implementation, String dtype, RunSettings settings,
    List<RuleResult> results, Instant started, long millis) {

  /** Runs {@code rules} against {@code impl}, telling {@code listener} about each. */
  public static Run execute(DiffusionImplementation impl, List<? extends Rule> rules,
      RunSettings settings, RuleRunner.Listener listener) {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    List<RuleResult> results = new RuleRunner(settings).run(impl, rules, listener);
    return new Run(impl.declaration().name(), impl.declaration().dtype().label(), settings,
        results, started, (System.nanoTime() - t0) / 1_000_000);
  }

  public long count(Status s) {
    return results.stream().filter(r -> r.status() == s).count();
  }

  /** Passed: no rule failed or errored. */
  public boolean passed() {
    return count(Status.FAIL) == 0 && count(Status.ERROR) == 0;
  }

  /**
   * The closing line CI systems read: "rules: 18 passed, 1 failed, 2 skipped", where an error
   * (the implementation could not be asked) counts as a failure.
   */
  public String summary() {
    return "rules: " + count(Status.PASS) + " passed, " + (count(Status.FAIL) + count(Status.ERROR))
        + " failed, " + count(Status.SKIP) + " skipped";
  }
}
