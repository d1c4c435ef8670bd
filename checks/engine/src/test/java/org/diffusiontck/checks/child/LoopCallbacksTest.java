package org.diffusiontck.checks.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.LoopRequests;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.Rejected;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.rules.ImplementationError;
import org.diffusiontck.checks.rules.ModelCalls;
import org.junit.jupiter.api.Test;

/**
 * The model callbacks of a loop operation (spec/PROTOCOL.md §9.2) as the child-process driver
 * handles them: answered from the kit's model, refused with an error the child can pass on, and
 * a failure of the child outside a loop.
 */
class LoopCallbacksTest {
  private static final ScheduleSpec LINEAR = ScheduleSpec.linear(4, 1e-4, 0.02);
  private static final Tensor X = new Tensor(new long[] {1, 2}, new double[] {0.5, -1.0});

  private static ChildProcessImplementation child(String mode) throws URISyntaxException {
    Path script = Path.of(LoopCallbacksTest.class.getResource("/children/loop_child.py").toURI());
    return new ChildProcessImplementation("python3 '" + script + "' " + mode);
  }

  private static LoopRequests.DdimSample loop() {
    return new LoopRequests.DdimSample(LINEAR, Prediction.EPSILON, 0.0, Clipping.NONE, 1,
        Spacing.LINSPACE, null, null, X, List.of(X));
  }

  /** The model x ↦ x/2, recording its calls. */
  private static ModelCalls half() {
    return new ModelCalls(4, (x, t) -> new Tensor(new long[] {1, 2},
        new double[] {x[0] / 2, x[1] / 2}));
  }

  @Test
  void theKitAnswersTheCallbackFromItsModelAndRecordsIt() throws Exception {
    try (ChildProcessImplementation child = child("fine")) {
      ModelCalls model = half();
      Tensor answer = child.ddimSample(loop(), model);
      assertThat(answer.data()).containsExactly(0.25, -0.5);
      assertThat(model.calls()).hasSize(1);
      assertThat(model.calls().get(0).t()).isEqualTo(1);
      assertThat(model.calls().get(0).xt().data()).containsExactly(0.5, -1.0);
    }
  }

  @Test
  void aCallOutsideOneToTIsRefusedAndRecorded() throws Exception {
    try (ChildProcessImplementation child = child("t-zero")) {
      ModelCalls model = half();
      assertThatThrownBy(() -> child.ddimSample(loop(), model)).isInstanceOf(Rejected.class)
          .hasMessageContaining("the model is defined for t in 1..T = 4, not at t = 0");
      assertThat(model.calls()).extracting(ModelCalls.Call::t).containsExactly(0);
      assertThat(child.starts()).isEqualTo(1);
    }
  }

  @Test
  void anUnknownCallbackIsRefusedWithTheOneTheKitAnswers() throws Exception {
    try (ChildProcessImplementation child = child("unknown")) {
      ModelCalls model = half();
      assertThatThrownBy(() -> child.ddimSample(loop(), model)).isInstanceOf(Rejected.class)
          .hasMessageContaining("unknown callback \"gradient\"; the kit answers \"model\" only");
      assertThat(model.calls()).isEmpty();
    }
  }

  @Test
  void aCallbackOutsideALoopIsAFailureOfTheChild() throws Exception {
    try (ChildProcessImplementation child = child("fine")) {
      assertThatThrownBy(() -> child.schedule(new Requests.Schedule(LINEAR)))
          .isInstanceOf(ImplementationError.class)
          .hasMessageContaining("the child made a callback, but only loop operations may");
    }
  }
}
