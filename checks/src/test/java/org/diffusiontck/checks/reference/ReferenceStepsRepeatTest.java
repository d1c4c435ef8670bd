package org.diffusiontck.checks.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.junit.jupiter.api.Test;

/**
 * The reference adapter's steps, as the vectors and the rules call them: for every prediction ×
 * clipping × η (DDIM step), prediction × clipping (DDIM inversion) and prediction × clipping ×
 * variance choice (DDPM step), the request's tensors are left as they were and the same request
 * answered four times gives the same tensor each time, to the bit. Inputs exceed [−1, 1] so that
 * clipping acts.
 */
class ReferenceStepsRepeatTest {
  private static final ReferenceImplementation REFERENCE = new ReferenceImplementation();
  private static final ScheduleSpec FOUR = ScheduleSpec.betas(0.1, 0.2, 0.3, 0.4);
  private static final List<Clipping> CLIPPINGS =
      List.of(Clipping.NONE, Clipping.CLIP, Clipping.dynamic(0.9, 1.5));

  @Test
  void ddimStepsAndInversions() {
    for (Prediction p : Prediction.values()) {
      for (Clipping c : CLIPPINGS) {
        for (double eta : new double[] {0.0, 0.5, 1.0}) {
          Tensor x = input(1);
          Tensor out = input(2);
          Tensor z = input(3);
          repeats("DDIM step " + p + " " + c + " eta " + eta, List.of(x, out, z),
              () -> REFERENCE.ddimStep(new Requests.DdimStep(FOUR, p, eta, c, x, 4, 2, out, z)));
        }
        Tensor x = input(1);
        Tensor out = input(2);
        repeats("DDIM inversion " + p + " " + c, List.of(x, out),
            () -> REFERENCE.ddimInvertStep(new Requests.DdimInvertStep(FOUR, p, c, x, 1, 2, out)));
      }
    }
  }

  @Test
  void ddpmSteps() {
    for (Prediction p : Prediction.values()) {
      for (Clipping c : CLIPPINGS) {
        for (VarianceChoice choice : VarianceChoice.values()) {
          Tensor x = input(1);
          Tensor out = input(2);
          Tensor v = positive(input(4));
          Tensor z = input(3);
          repeats("DDPM step " + p + " " + c + " " + choice, List.of(x, out, v, z),
              () -> REFERENCE.ddpmStep(
                  new Requests.DdpmStep(FOUR, p, choice, c, x, 3, 2, out, v, z)));
        }
      }
    }
  }

  private static void repeats(String what, List<Tensor> inputs, Supplier<Tensor> call) {
    List<double[]> before = new ArrayList<>();
    for (Tensor in : inputs) {
      before.add(in.data().clone());
    }
    double[] first = call.get().data();
    for (int k = 0; k < 3; k++) {
      assertThat(call.get().data()).as(what + ", call " + (k + 2)).containsExactly(first);
    }
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(inputs.get(i).data()).as(what + ": input " + i).containsExactly(before.get(i));
    }
  }

  /** A [2, 3, 4] tensor with values in about (−2.6, 2.6), different for each {@code salt}. */
  private static Tensor input(int salt) {
    double[] data = new double[24];
    for (int i = 0; i < data.length; i++) {
      data[i] = 2.6 * Math.sin(1.7 * i + salt);
    }
    return new Tensor(new long[] {2, 3, 4}, data);
  }

  /** Values in (0.24, 0.76): a valid log-variance, variance and interpolation fraction alike. */
  private static Tensor positive(Tensor t) {
    double[] data = t.data().clone();
    for (int i = 0; i < data.length; i++) {
      data[i] = 0.5 + 0.1 * data[i];
    }
    return new Tensor(t.shape(), data);
  }
}
