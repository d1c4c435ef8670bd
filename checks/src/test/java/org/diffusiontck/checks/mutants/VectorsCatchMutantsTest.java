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
 * The recorded vectors catch what their rules catch: for every mutant and every rule that fails
 * it, the rule's recorded cases fail it too — their per-case tolerances are tight enough, and
 * their cases varied enough (each choice at each edge: t = 1, t = T, s = 0, a strided step, noise
 * that is not zero…), for a team that only replays spec/vectors to notice each bug the rules
 * notice. Only where the mutant changes an operation the recorded cases replay: a rule may also
 * catch a mutant by comparing two operations (its schedule against its forward samples), which
 * replaying one of them against the reference's answers cannot see.
 */
class VectorsCatchMutantsTest {
  private static boolean caught(RuleResult r) {
    return r.status() == Status.FAIL || r.status() == Status.ERROR;
  }

  @TestFactory
  Stream<DynamicTest> eachRulesVectorsCatchWhatTheRuleCatches() throws Exception {
    Tensors.useDoubles();
    List<VectorRule> vectors = vectorRules();
    RuleRunner runner = new RuleRunner(RunSettings.defaults());
    return MutantsTest.mutants().stream().map(m -> DynamicTest.dynamicTest(
        m.id() + ": " + m.bug(), () -> {
          List<String> rulesCatching = new ArrayList<>();
          List<String> missed = new ArrayList<>();
          for (VectorRule v : vectors) {
            Rule rule = v.rule();
            if (v.operations().stream().noneMatch(m.touches()::contains)
                || !caught(runner.runOne(m.impl(), rule))) {
              continue;
            }
            rulesCatching.add(rule.info().id());
            if (!caught(runner.runOne(m.impl(), v))) {
              missed.add(v.info().id());
            }
          }
          assertThat(missed).as("vector rules whose rule catches %s (%s) but they do not",
              m.id(), rulesCatching).isEmpty();
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

  private static List<VectorRule> vectorRules() throws Exception {
    return Conformance.catalogueWithVectors(KitPaths.vectors()).stream()
        .filter(r -> r instanceof VectorRule).map(r -> (VectorRule) r).toList();
  }
}
