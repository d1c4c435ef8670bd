package org.diffusiontck.checks.conform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.diffusiontck.checks.child.ChildProcessImplementation;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.Rejected;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.diffusiontck.checks.report.Run;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.RunSettings;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import org.diffusiontck.checks.rules.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Python example (spec/examples/python), written from the papers independently of the
 * reference, conforms: every rule and every vector passes through the protocol, and none is
 * skipped (it is the template users copy, so it declares every capability). Its planted loop bugs
 * fail their LOOP rules here; its planted posterior bug is tested through the command line in
 * {@code ConformCommandTest}.
 */
class PythonExampleTest {
  static final String EXAMPLE = "python3 '" + KitPaths.pythonExample() + "'";

  @Test
  void passesEveryRuleAndEveryVectorWithNoneSkipped() throws Exception {
    Run run = Conformance.run(EXAMPLE, Conformance.Options.defaults(),
        new RuleRunner.Listener() {});
    assertThat(run.results()).filteredOn(r -> r.status() != Status.PASS)
        .extracting(r -> r.info().id() + " " + r.status() + ": " + r.message()).isEmpty();
    assertThat(run.results()).extracting(r -> r.info().id()).anyMatch(id -> id.endsWith("/vectors"));
    assertThat(run.results()).extracting(RuleResult::cases).allMatch(n -> n > 0);
  }

  /**
   * Each planted loop bug, through the child-process path, fails the LOOP rule that names it; a
   * wrong model time is reported at the first call that differs.
   */
  @ParameterizedTest
  @CsvSource({
      "loop-index, LOOP-1, 'first wrong model call: step 1 of'",
      "loop-index, LOOP-2, 'first wrong model call: step 1 of'",
      "loop-previous-t, LOOP-1, 'first wrong model call: step 2 of'",
      "loop-previous-t, LOOP-2, 'first wrong model call: step 2 of'",
      "loop-early-stop, LOOP-1, 'seen no call (the loop stopped after'",
      "loop-early-stop, LOOP-2, 'seen no call (the loop stopped after'",
      "ddim-skip-final, LOOP-1, 'the loop''s answer against the single ddim_step'",
      "invert-target, LOOP-3, 'first wrong model call: step 1 of'",
      "invert-past-t, LOOP-3, 'the inversion''s step past t_1'"})
  void aPlantedLoopBugFailsItsRuleAtTheFirstWrongModelCall(String bug, String rule,
      String message) {
    try (ChildProcessImplementation child = new ChildProcessImplementation(
        "DIFFUSION_TCK_PLANT_BUG=" + bug + " " + EXAMPLE)) {
      RuleResult r = new RuleRunner(RunSettings.defaults()).runOne(child,
          Catalogue.all().stream().filter(x -> x.info().id().equals(rule)).findFirst()
              .orElseThrow());
      assertThat(r.status()).as(r.message()).isEqualTo(Status.FAIL);
      assertThat(r.message()).contains(message);
    }
  }

  @Test
  void declaresEveryCapabilityAndTheDefaultConventions() {
    try (ChildProcessImplementation child = new ChildProcessImplementation(EXAMPLE)) {
      Declaration d = child.declaration();
      assertThat(d.dtype()).isEqualTo(Dtype.FLOAT64);
      assertThat(d.operations()).isEqualTo(EnumSet.allOf(Operation.class));
      assertThat(d.schedules()).isEqualTo(EnumSet.allOf(ScheduleKind.class));
      assertThat(d.zeroTerminalSnr()).isTrue();
      assertThat(d.predictions()).isEqualTo(EnumSet.allOf(Prediction.class));
      assertThat(d.varianceChoices()).isEqualTo(EnumSet.allOf(VarianceChoice.class));
      assertThat(d.spacings()).isEqualTo(EnumSet.allOf(Spacing.class));
      assertThat(d.clippings()).isEqualTo(EnumSet.allOf(Clipping.Kind.class));
      assertThat(d.conventions()).isEqualTo(Conventions.defaults());
    }
  }

  @Test
  void aRefusalIsAnAnswerAndTheChildGoesOn() {
    try (ChildProcessImplementation child = new ChildProcessImplementation(EXAMPLE)) {
      assertThatThrownBy(() -> child.schedule(
          new Requests.Schedule(ScheduleSpec.linear(0, 1e-4, 0.02))))
          .isInstanceOf(Rejected.class).hasMessageContaining("T must be at least 1, got 0");
      double[] beta = child.schedule(new Requests.Schedule(ScheduleSpec.betas(0.5, 1.0))).beta();
      // β_0 = 0 by the kit's convention, then the betas as given
      assertThat(beta).containsExactly(0.0, 0.5, 1.0);
      assertThat(child.starts()).isEqualTo(1);
    }
  }
}
