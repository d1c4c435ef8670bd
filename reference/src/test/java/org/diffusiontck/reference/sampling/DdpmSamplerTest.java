package org.diffusiontck.reference.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.reference.sampling.Fixtures.tensor;
import static org.diffusiontck.reference.sampling.Fixtures.values;

import java.util.ArrayList;
import java.util.List;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DDPM loop. Tolerance (unless stated): two steps of ≤ 20 double operations on O(1) numbers
 * each, with the schedule's ᾱ within a few ulps of the decimals: 1e-14.
 */
class DdpmSamplerTest {
  private static final double TOL = 1e-14;
  private static final NoiseSchedule TWO = Schedules.fromBetas(0.1, 0.2);
  private static final NoiseSchedule FOUR = Schedules.fromBetas(0.1, 0.2, 0.3, 0.4);
  private static final long[] SHAPE = {1, 2};

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /** Predicts the same ε everywhere; optionally a constant log-variance too. */
  private static final class Constant implements VariancePredictor {
    private final double eps;
    private final double logVariance;

    Constant(double eps, double logVariance) {
      this.eps = eps;
      this.logVariance = logVariance;
    }

    @Override
    public Prediction prediction() {
      return Prediction.EPSILON;
    }

    @Override
    public INDArray predict(INDArray xt, int[] t) {
      return Nd4j.valueArrayOf(xt.shape(), eps);
    }

    @Override
    public INDArray predictVariance(INDArray xt, int[] t) {
      return Nd4j.valueArrayOf(xt.shape(), logVariance);
    }
  }

  /** Records each noise request and answers with a fixed tensor. */
  private static final class Recording implements StepNoise {
    final List<String> requests = new ArrayList<>();
    private final double value;

    Recording(double value) {
      this.value = value;
    }

    @Override
    public INDArray noise(int stepIndex, int t, long[] shape) {
      requests.add(stepIndex + "@" + t);
      return Nd4j.valueArrayOf(shape, value);
    }
  }

  private static DdpmSampler sampler(NoiseSchedule schedule, Timesteps timesteps,
      VarianceChoice choice) {
    return new DdpmSampler(new DdpmStep(schedule, timesteps, choice,
        T1LogVariance.CLIP_TO_BETA_TILDE_2, X0Clipping.NONE));
  }

  /**
   * T = 2, β = (0.1, 0.2), ε̂ = 0.5 everywhere, z = 0.3: x_1 = (x_2 − 0.2/√0.28 · 0.5)/√0.8 +
   * √(1/14) · 0.3 (fixed small, β̃_2 = (0.1/0.28) · 0.2 = 1/14), x_0 = (x_1 − 0.1/√0.1 · 0.5)/√0.9
   * with no noise; one noise request, for step 0 from t = 2.
   */
  @Test
  void twoStepsByHand() {
    Recording noise = new Recording(0.3);
    INDArray xT = tensor(SHAPE, 1.1, -0.6);
    double[] got = values(sampler(TWO, Timesteps.all(2), VarianceChoice.FIXED_SMALL)
        .sample(new Constant(0.5, 0.0), xT, noise));
    double[] x2 = values(xT);
    for (int i = 0; i < 2; i++) {
      double x1 = (x2[i] - 0.2 / Math.sqrt(0.28) * 0.5) / Math.sqrt(0.8)
          + Math.sqrt(1.0 / 14.0) * 0.3;
      double x0 = (x1 - 0.1 / Math.sqrt(0.1) * 0.5) / Math.sqrt(0.9);
      assertThat(got[i]).isCloseTo(x0, within(TOL));
    }
    assertThat(noise.requests).containsExactly("0@2");
  }

  /**
   * A learned log-variance of log 0.25 makes the noise term 0.5 z on the first step: the same loop
   * as {@link #twoStepsByHand} with √(1/14) replaced by 0.5.
   */
  @Test
  void learnedVarianceComesFromTheModel() {
    INDArray xT = tensor(SHAPE, 1.1, -0.6);
    double[] got = values(sampler(TWO, Timesteps.all(2), VarianceChoice.LEARNED_LOG_VARIANCE)
        .sample(new Constant(0.5, Math.log(0.25)), xT, new Recording(0.3)));
    double[] x2 = values(xT);
    for (int i = 0; i < 2; i++) {
      double x1 = (x2[i] - 0.2 / Math.sqrt(0.28) * 0.5) / Math.sqrt(0.8) + 0.5 * 0.3;
      assertThat(got[i]).isCloseTo((x1 - 0.1 / Math.sqrt(0.1) * 0.5) / Math.sqrt(0.9),
          within(TOL));
    }
    NoisePredictor plain = new PointMassPredictor(TWO, 0.0, Prediction.EPSILON);
    assertThatThrownBy(() -> sampler(TWO, Timesteps.all(2), VarianceChoice.LEARNED_RANGE)
        .sample(plain, xT, new Recording(0.3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("VariancePredictor");
  }

  /**
   * The perfect predictor of {c} makes every x̂_0 = c, and the last step's mean is x̂_0 (μ̃'s
   * coefficients are 1 and 0 at s = 0): the loop ends on c whatever the noise, full or strided.
   */
  @Test
  void perfectPredictorEndsOnTheData() {
    INDArray xT = new PortableNoise(3).normal(2, 3);
    for (Timesteps timesteps : new Timesteps[] {Timesteps.all(4), Timesteps.of(4, 4, 2),
        Timesteps.of(4, 3)}) {
      for (Prediction prediction : Prediction.values()) {
        double[] got = values(sampler(FOUR, timesteps, VarianceChoice.FIXED_LARGE)
            .sample(new PointMassPredictor(FOUR, -0.35, prediction), xT,
                StepNoise.from(new PortableNoise(9))));
        for (double v : got) {
          assertThat(v).as("%s %s", timesteps, prediction).isCloseTo(-0.35, within(TOL));
        }
      }
    }
  }

  /**
   * Trajectory and progress on the strided list [4, 2]: x at t = 4 (the start), 2 and 0; the
   * listener hears (0, 4) and (1, 2); the model is called at 4 then 2; noise is requested once.
   */
  @Test
  void trajectoryListenerAndNoiseRequests() {
    INDArray xT = tensor(SHAPE, 1.1, -0.6);
    PointMassPredictor model = new PointMassPredictor(FOUR, 0.2, Prediction.EPSILON);
    List<String> heard = new ArrayList<>();
    Recording noise = new Recording(-0.1);
    SamplingResult result = sampler(FOUR, Timesteps.of(4, 4, 2), VarianceChoice.FIXED_SMALL)
        .sample(model, xT, noise, true, (k, t) -> heard.add(k + "@" + t));
    assertThat(result.trajectory()).extracting(SamplingResult.Point::t).containsExactly(4, 2, 0);
    assertThat(values(result.trajectory().get(0).x())).containsExactly(values(xT));
    assertThat(values(result.trajectory().get(2).x())).containsExactly(values(result.sample()));
    assertThat(heard).containsExactly("0@4", "1@2");
    assertThat(model.calls).containsExactly(4, 2);
    assertThat(noise.requests).containsExactly("0@4");
    SamplingResult quiet = sampler(FOUR, Timesteps.of(4, 4, 2), VarianceChoice.FIXED_SMALL)
        .sample(model, xT, noise, false, StepListener.NONE);
    assertThat(quiet.trajectory()).isEmpty();
  }

  /** Portable noise makes runs reproducible bit for bit; another seed gives another sample. */
  @Test
  void portableNoiseIsReproducible() {
    INDArray xT = new PortableNoise(1).normal(2, 3);
    DdpmSampler ddpm = sampler(FOUR, Timesteps.all(4), VarianceChoice.FIXED_SMALL);
    NoisePredictor model = new Constant(0.1, 0.0);
    double[] a = values(ddpm.sample(model, xT, StepNoise.from(new PortableNoise(5))));
    double[] b = values(ddpm.sample(model, xT, StepNoise.from(new PortableNoise(5))));
    double[] c = values(ddpm.sample(model, xT, StepNoise.from(new PortableNoise(6))));
    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void badInputsAreErrors() {
    DdpmSampler ddpm = sampler(FOUR, Timesteps.all(4), VarianceChoice.FIXED_SMALL);
    INDArray xT = tensor(SHAPE, 1.1, -0.6);
    NoisePredictor model = new Constant(0.1, 0.0);
    assertThatThrownBy(() -> ddpm.sample(model, xT, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noise");
    assertThatThrownBy(() -> ddpm.sample(null, xT, new Recording(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model");
    assertThatThrownBy(() -> ddpm.sample(model, xT, (k, t, shape) -> Nd4j.zeros(1, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noise");
  }
}
