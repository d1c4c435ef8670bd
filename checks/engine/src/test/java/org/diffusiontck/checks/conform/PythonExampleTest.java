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
import org.diffusiontck.checks.rules.Status;
import org.junit.jupiter.api.Test;

/**
 * The Python example (spec/examples/python), written from the papers independently of the
 * reference, conforms: every rule and every vector passes through the protocol, and none is
 * skipped (it is the template users copy, so it declares every capability). Its planted bug is
 * tested through the command line in {@code ConformCommandTest}.
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
