package org.diffusiontck.checks.mutants;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.diffusiontck.checks.junit.DiffusionTck;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.RunSettings;
import org.diffusiontck.checks.rules.Status;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The kit tests itself: every mutant must be caught by at least one rule, with a readable message
 * (rule ID, expected, observed, error, tolerance). Only rules that use an operation the mutant
 * changes are run on it; the others would see the reference. The mutant → rules table (with the
 * time each sweep took) is printed at the end.
 */
class MutantsTest {
  private static final Map<String, String> TABLE = new TreeMap<>();

  static List<Mutant> mutants() {
    List<Mutant> all = new ArrayList<>();
    all.addAll(CoreMutants.all());
    all.addAll(ElboMutants.all());
    all.addAll(SamplingMutants.all());
    all.addAll(LoopMutants.all());
    return all;
  }

  @TestFactory
  Stream<DynamicTest> everyMutantIsCaught() {
    // A third of each rule's cases: every mutant is still caught (asserted below), in a third of
    // the time; the default settings are what ReferenceConformanceTest holds the reference to.
    RuleRunner runner = new RuleRunner(new RunSettings(RunSettings.DEFAULT_SEED, 0.3, Map.of()));
    return mutants().stream().map(m -> DynamicTest.dynamicTest(m.id() + ": " + m.bug(), () -> {
      long start = System.nanoTime();
      List<String> caughtBy = new ArrayList<>();
      String firstMessage = null;
      for (Rule rule : Catalogue.all()) {
        if (rule.operations().stream().noneMatch(m.touches()::contains)) {
          continue;
        }
        RuleResult r = runner.runOne(m.impl(), rule);
        if (r.status() == Status.FAIL) {
          caughtBy.add(rule.info().id());
          if (firstMessage == null) {
            firstMessage = DiffusionTck.describe(r);
          }
        }
      }
      TABLE.put(m.id(), String.format("%-4s %-40s %6d ms  %s", m.id(), String.join(", ", caughtBy),
          (System.nanoTime() - start) / 1_000_000, m.bug()));
      assertThat(caughtBy).as("rules that catch %s (%s)", m.id(), m.bug()).isNotEmpty();
      assertThat(firstMessage).as("a readable failure names the rule, the tolerance and a "
          + "counterexample").contains(caughtBy.get(0)).contains("tolerance")
          .contains("counterexample");
    }));
  }

  @AfterAll
  static void printTable() {
    System.out.println("Mutant -> rules that catch it");
    TABLE.values().forEach(System.out::println);
  }
}
