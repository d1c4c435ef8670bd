package org.diffusiontck.reference.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.reference.sampling.Fixtures.values;

import java.util.ArrayList;
import java.util.List;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.schedule.LinearEndpoints;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DDIM loops on a T = 10 linear schedule with β from 0.05 to 0.3 (ᾱ_10 ≈ 0.15). Tolerance
 * (unless stated): three steps of ≤ 20 double operations each on numbers ≤ 5 (x̂_0 recovered from
 * ε divides by √ᾱ ≥ 0.38), ≈ 60 roundings of ≤ 5 · 1.1e-16: 1e-13.
 */
class DdimSamplerTest {
  private static final double TOL = 1e-13;
  private static final NoiseSchedule TEN = Schedules.linear(10, 0.05, 0.3, LinearEndpoints.FIXED);
  private static final Timesteps LINSPACE = Timesteps.linspace(10, 3);

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  private static DdimSampler sampler(double eta, FinalAlphaBar last, PreviousTimestep previous) {
    return new DdimSampler(new DdimStep(TEN, eta, DdimEpsilon.MODEL, last, X0Clipping.NONE),
        LINSPACE, previous);
  }

  private static DdimSampler deterministic() {
    return sampler(0.0, FinalAlphaBar.ONE, PreviousTimestep.NEXT_SELECTED);
  }

  private static INDArray start() {
    return new PortableNoise(11).normal(2, 3);
  }

  /** η = 0 with the perfect predictor of {c} ends on c, for every spacing and prediction. */
  @Test
  void deterministicSamplingOfAPointMassEndsOnIt() {
    for (Spacing spacing : Spacing.values()) {
      DdimSampler ddim = new DdimSampler(DdimStep.deterministic(TEN),
          Timesteps.select(spacing, 10, 4, 0), PreviousTimestep.NEXT_SELECTED);
      for (Prediction prediction : Prediction.values()) {
        double[] got = values(ddim.sample(new PointMassPredictor(TEN, 0.45, prediction), start(),
            (k, t, shape) -> {
              throw new AssertionError("no noise is requested when eta = 0");
            }));
        for (double v : got) {
          assertThat(v).as("%s %s", spacing, prediction).isCloseTo(0.45, within(TOL));
        }
      }
    }
  }

  /**
   * Noise is requested exactly on the steps with σ &gt; 0: with η = 0.5 on [10, 5, 1] under ONE,
   * steps 0 and 1 (the step 1 → 0 has σ = 0); under FIRST_SELECTED on [10, 5, 2] all three (2 → 0
   * lands on ᾱ_1 &lt; 1, so σ &gt; 0 there too).
   */
  @Test
  void noiseIsRequestedOnTheStepsWithPositiveSigma() {
    List<String> requests = new ArrayList<>();
    StepNoise recording = (k, t, shape) -> {
      requests.add(k + "@" + t);
      return new PortableNoise(k).normal(shape);
    };
    PointMassPredictor model = new PointMassPredictor(TEN, 0.1, Prediction.EPSILON);
    sampler(0.5, FinalAlphaBar.ONE, PreviousTimestep.NEXT_SELECTED)
        .sample(model, start(), recording);
    assertThat(requests).containsExactly("0@10", "1@5");
    requests.clear();
    new DdimSampler(new DdimStep(TEN, 0.5, DdimEpsilon.MODEL, FinalAlphaBar.FIRST_SELECTED,
        X0Clipping.NONE), Timesteps.of(10, 10, 5, 2), PreviousTimestep.NEXT_SELECTED)
        .sample(model, start(), recording);
    assertThat(requests).containsExactly("0@10", "1@5", "2@2");
  }

  /**
   * PreviousTimestep on [10, 5, 1]: NEXT_SELECTED lands on 5, 1, 0; FIXED_STRIDE (⌊10/3⌋ = 3) on
   * 7, 2, 0, while the model is still called at 10, 5, 1. With the perfect predictor of {c} and η =
   * 0 the first step lands on √ᾱ_7 c + √(1 − ᾱ_7) ε(x_10, 10) under FIXED_STRIDE.
   */
  @Test
  void previousTimestepRules() {
    INDArray xT = start();
    PointMassPredictor next = new PointMassPredictor(TEN, 0.3, Prediction.EPSILON);
    PointMassPredictor stride = new PointMassPredictor(TEN, 0.3, Prediction.EPSILON);
    SamplingResult a = sampler(0.0, FinalAlphaBar.ONE, PreviousTimestep.NEXT_SELECTED)
        .sample(next, xT, StepNoise.from(new PortableNoise(1)), true, StepListener.NONE);
    SamplingResult b = sampler(0.0, FinalAlphaBar.ONE, PreviousTimestep.FIXED_STRIDE)
        .sample(stride, xT, StepNoise.from(new PortableNoise(1)), true, StepListener.NONE);
    assertThat(a.trajectory()).extracting(SamplingResult.Point::t).containsExactly(10, 5, 1, 0);
    assertThat(b.trajectory()).extracting(SamplingResult.Point::t).containsExactly(10, 7, 2, 0);
    assertThat(next.calls).containsExactly(10, 5, 1);
    assertThat(stride.calls).containsExactly(10, 5, 1);
    double[] x10 = values(xT);
    double[] x7 = values(b.trajectory().get(1).x());
    for (int i = 0; i < x10.length; i++) {
      double expected = Math.sqrt(TEN.alphaBar(7)) * 0.3
          + Math.sqrt(1 - TEN.alphaBar(7)) * next.eps(x10[i], 10);
      assertThat(x7[i]).isCloseTo(expected, within(TOL));
    }
  }

  /**
   * Inversion x_0 → x_10 along [1, 5, 10] then sampling back returns x_0 for the perfect predictor
   * (SOURCE, FIRST_SELECTED: the data taken at ᾱ_1), for every prediction; the model is called at
   * 1, 1, 5 (the sources) when inverting; the trajectory visits 0, 1, 5, 10 and the listener hears
   * the timesteps reached.
   */
  @Test
  void inversionThenSamplingReturnsTheData() {
    INDArray x0 = start();
    for (Prediction prediction : Prediction.values()) {
      PointMassPredictor model = new PointMassPredictor(TEN, -0.2, prediction);
      DdimSampler ddim = sampler(0.0, FinalAlphaBar.FIRST_SELECTED,
          PreviousTimestep.NEXT_SELECTED);
      List<String> heard = new ArrayList<>();
      SamplingResult inverted = ddim.invert(model, x0, InversionModelTime.SOURCE, true,
          (k, t) -> heard.add(k + "@" + t));
      assertThat(model.calls).containsExactly(1, 1, 5);
      assertThat(inverted.trajectory()).extracting(SamplingResult.Point::t)
          .containsExactly(0, 1, 5, 10);
      assertThat(heard).containsExactly("0@1", "1@5", "2@10");
      double[] back = values(ddim.sample(model, inverted.sample(),
          StepNoise.from(new PortableNoise(2))));
      double[] expected = values(x0);
      for (int i = 0; i < expected.length; i++) {
        assertThat(back[i]).as(prediction.name()).isCloseTo(expected[i], within(TOL));
      }
    }
  }

  /**
   * TARGET evaluates the model at the target timesteps 1, 5, 10; SOURCE from the data under ONE is
   * an error (no model at t = 0).
   */
  @Test
  void inversionModelTime() {
    PointMassPredictor model = new PointMassPredictor(TEN, -0.2, Prediction.EPSILON);
    deterministic().invert(model, start(), InversionModelTime.TARGET, false, StepListener.NONE);
    assertThat(model.calls).containsExactly(1, 5, 10);
    assertThatThrownBy(() -> deterministic().invert(model, start(), InversionModelTime.SOURCE,
        false, StepListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SOURCE");
  }

  /** With σ = 0 a run is bit-identical on repeat. */
  @Test
  void deterministicRunsRepeatBitForBit() {
    NoisePredictor model = new PointMassPredictor(TEN, 0.8, Prediction.V);
    StepNoise never = (k, t, shape) -> {
      throw new AssertionError("no noise when eta = 0");
    };
    assertThat(values(deterministic().sample(model, start(), never)))
        .containsExactly(values(deterministic().sample(model, start(), never)));
  }

  @Test
  void badInputsAreErrors() {
    assertThatThrownBy(() -> new DdimSampler(DdimStep.deterministic(TEN), Timesteps.all(9),
        PreviousTimestep.NEXT_SELECTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("T = 9");
    assertThatThrownBy(() -> new DdimSampler(DdimStep.deterministic(TEN), LINSPACE, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("previous");
    assertThatThrownBy(() -> deterministic().sample(
        new PointMassPredictor(TEN, 0, Prediction.X0), start(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noise");
  }
}
