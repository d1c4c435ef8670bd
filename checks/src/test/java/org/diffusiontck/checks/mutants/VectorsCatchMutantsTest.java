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
import org.junit.jupiter.api.Test;
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
    List<Rule> vectors = vectorRules();
    RuleRunner runner = new RuleRunner(RunSettings.defaults());
    return MutantsTest.mutants().stream().map(m -> DynamicTest.dynamicTest(
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

  /**
   * A loop replayed from the vectors with the model at the loop index fails at its first model
   * call, which the report names with both timesteps.
   */
  @Test
  void aLoopCaseNamesTheFirstWrongModelCall() throws Exception {
    Tensors.useDoubles();
    Rule loop1 = vectorRules().stream().filter(r -> r.info().id().equals("LOOP-1/vectors"))
        .findFirst().orElseThrow();
    Mutant l01 = MutantsTest.mutants().stream().filter(m -> m.id().equals("L01"))
        .findFirst().orElseThrow();
    RuleResult result = new RuleRunner(RunSettings.defaults()).runOne(l01.impl(), loop1);
    assertThat(result.status()).isEqualTo(Status.FAIL);
    assertThat(result.message()).contains("first wrong model call: step 1 of")
        .contains("seen 0");
  }

  private static List<Rule> vectorRules() throws Exception {
    return Conformance.catalogueWithVectors(KitPaths.vectors()).stream()
        .filter(r -> r instanceof VectorRule).toList();
  }
}
