package org.diffusiontck.checks.mutants;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.diffusiontck.checks.conform.Conformance;
import org.diffusiontck.checks.conform.KitPaths;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.RunSettings;
import org.diffusiontck.checks.rules.Status;
import org.diffusiontck.checks.vectors.VectorRule;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The recorded vectors alone catch every mutant: their per-case tolerances are tight enough, and
 * their cases varied enough (each choice at each edge: t = 1, t = T, s = 0…), for a team that only
 * replays spec/vectors to notice each bug class the rules notice.
 */
class VectorsCatchMutantsTest {
  @TestFactory
  Stream<DynamicTest> everyMutantFailsSomeVectors() throws Exception {
    Tensors.useDoubles();
    List<Rule> vectors = Conformance.catalogueWithVectors(KitPaths.vectors()).stream()
        .filter(r -> r instanceof VectorRule).toList();
    RuleRunner runner = new RuleRunner(RunSettings.defaults());
    // the loop operations have no recorded vectors (spec/VECTORS.md): their mutants are the LOOP
    // rules' to catch (MutantsTest)
    return MutantsTest.mutants().stream()
        .filter(m -> m.touches().stream().anyMatch(op -> !op.loop()))
        .map(m -> DynamicTest.dynamicTest(
        m.id() + ": " + m.bug(), () -> {
          List<String> caughtBy = new ArrayList<>();
          for (Rule r : vectors) {
            if (r.operations().stream().anyMatch(m.touches()::contains)) {
              RuleResult result = runner.runOne(m.impl(), r);
              if (result.status() == Status.FAIL || result.status() == Status.ERROR) {
                caughtBy.add(r.info().id());
              }
            }
          }
          assertThat(caughtBy).as("vector rules that catch %s", m.id()).isNotEmpty();
        }));
  }
}
