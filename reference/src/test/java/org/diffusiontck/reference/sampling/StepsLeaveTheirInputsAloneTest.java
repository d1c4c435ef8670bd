package org.diffusiontck.reference.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.diffusiontck.reference.sampling.Fixtures.values;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The DDPM and DDIM steps work on their own arrays: for every prediction × clipping × η (DDIM,
 * step and inversion) and every variance choice (DDPM), a step leaves x_t, the model output, the
 * model variance and the noise as they were, to the bit, and the same call made again gives the
 * same answer, to the bit, even after the first answer has been overwritten. The inputs exceed
 * [−1, 1], so clipping an x̂_0 that is the caller's model output in place, or reading ε̂ from an
 * array the step freed or handed out, would show. Inputs come both as C-order arrays and as
 * strided views (which the steps copy before reading).
 */
class StepsLeaveTheirInputsAloneTest {
  private static final NoiseSchedule FOUR = Schedules.fromBetas(0.1, 0.2, 0.3, 0.4);
  private static final List<X0Clipping> CLIPPINGS =
      List.of(X0Clipping.NONE, X0Clipping.CLIP, X0Clipping.dynamicThresholding(0.9, 1.5));

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @Test
  void ddimStepAndInversion() {
    int[] t = {2, 4};
    int[] s = {1, 0};
    int[] fromS = {1, 1};
    int[] toT = {2, 4};
    for (Prediction prediction : Prediction.values()) {
      for (X0Clipping clipping : CLIPPINGS) {
        for (double eta : new double[] {0.0, 0.5, 1.0}) {
          for (DdimEpsilon epsilon : DdimEpsilon.values()) {
            for (FinalAlphaBar last : FinalAlphaBar.values()) {
              DdimStep ddim = new DdimStep(FOUR, eta, epsilon, last, clipping);
              for (boolean strided : new boolean[] {false, true}) {
                INDArray x = input(1, strided);
                INDArray out = input(2, strided);
                INDArray z = input(3, strided);
                String what = prediction + " " + clipping + " eta " + eta + " " + epsilon + " "
                    + last + (strided ? " strided" : "");
                leavesInputsAloneAndRepeats("step " + what, List.of(x, out, z),
                    () -> ddim.step(prediction, x, t, s, out, z));
                leavesInputsAloneAndRepeats("invert " + what, List.of(x, out),
                    () -> ddim.invert(prediction, x, fromS, toT, out));
              }
            }
          }
        }
      }
    }
  }

  @Test
  void ddpmStep() {
    int[] t = {1, 3};
    for (Prediction prediction : Prediction.values()) {
      for (X0Clipping clipping : CLIPPINGS) {
        for (VarianceChoice choice : VarianceChoice.values()) {
          DdpmStep ddpm = new DdpmStep(FOUR, Timesteps.all(4), choice,
              T1LogVariance.CLIP_TO_BETA_TILDE_2, clipping);
          for (boolean strided : new boolean[] {false, true}) {
            INDArray x = input(1, strided);
            INDArray out = input(2, strided);
            // in (0, 1): a valid log-variance, variance and interpolation fraction alike
            INDArray v = input(4, strided).mul(0.1).add(0.5);
            INDArray z = input(3, strided);
            leavesInputsAloneAndRepeats(
                prediction + " " + clipping + " " + choice + (strided ? " strided" : ""),
                List.of(x, out, v, z), () -> ddpm.step(prediction, x, t, out, v, z));
          }
        }
      }
    }
  }

  /** Runs the step twice, overwriting the first answer in between; inputs must not change. */
  private static void leavesInputsAloneAndRepeats(
      String what, List<INDArray> inputs, Supplier<INDArray> step) {
    List<double[]> before = new ArrayList<>();
    for (INDArray in : inputs) {
      before.add(values(in));
    }
    INDArray first = step.get();
    double[] firstValues = values(first);
    first.assign(Double.NaN);
    double[] second = values(step.get());
    assertThat(second).as(what + ": the same call again").containsExactly(firstValues);
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(values(inputs.get(i))).as(what + ": input " + i).containsExactly(before.get(i));
    }
  }

  /**
   * A [2, 3, 4] tensor with values in about (−2.6, 2.6), different for each {@code salt}: a C-order
   * array, or every other value of the last dimension of a [2, 3, 8] array.
   */
  private static INDArray input(int salt, boolean strided) {
    double[] data = new double[24];
    for (int i = 0; i < data.length; i++) {
      data[i] = 2.6 * Math.sin(1.7 * i + salt);
    }
    INDArray c = Nd4j.create(data, new long[] {2, 3, 4}, 'c');
    if (!strided) {
      return c;
    }
    return Nd4j.zeros(c.dataType(), 2, 3, 8)
        .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 8))
        .assign(c);
  }
}
