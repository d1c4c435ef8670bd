package org.diffusiontck.reference.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.sampling.DdimEpsilon;
import org.diffusiontck.reference.sampling.DdimSampler;
import org.diffusiontck.reference.sampling.DdimStep;
import org.diffusiontck.reference.sampling.DdpmSampler;
import org.diffusiontck.reference.sampling.DdpmStep;
import org.diffusiontck.reference.sampling.FinalAlphaBar;
import org.diffusiontck.reference.sampling.PreviousTimestep;
import org.diffusiontck.reference.sampling.Sampler;
import org.diffusiontck.reference.sampling.Spacing;
import org.diffusiontck.reference.sampling.StepNoise;
import org.diffusiontck.reference.sampling.Timesteps;
import org.diffusiontck.reference.sampling.X0Clipping;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact law of a sampler's output ({@link SamplerLaw}) against the reference samplers
 * themselves, by three routes that do not use its recursion: the samplers' exact linear response,
 * Monte Carlo, and (at η = 0) Euler's method on the probability-flow ODE and its exact map.
 */
class SamplerLawTest {
  private static final NoiseSchedule LINEAR = Schedules.linear(1000);
  private static final int T = 1000;
  /** Data per coordinate: a point mass (s = 0) among spreads over an order of ten. */
  private static final double[] MU = {0.5, -0.3, 0.0, 1.0, 0.7};
  private static final double[] S = {0.25, 0.5, 1.0, 2.0, 0.0};
  private static final GaussianData DATA = new GaussianData(LINEAR, Nd4j.createFromArray(MU),
      Nd4j.createFromArray(S));

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /** A sampler and the law claimed for its output. */
  private record Case(String name, Sampler sampler, IndependentGaussian law) {}

  private static Case ddim(double eta, Spacing spacing, int N, PreviousTimestep previous,
      FinalAlphaBar last) {
    DdimStep step = new DdimStep(LINEAR, eta, DdimEpsilon.MODEL, last, X0Clipping.NONE);
    Timesteps timesteps = Timesteps.select(spacing, T, N, 0);
    return new Case("ddim eta " + eta + " " + spacing + " N " + N + " " + previous + " " + last,
        new DdimSampler(step, timesteps, previous),
        SamplerLaw.ddim(DATA, step, timesteps, previous));
  }

  private static Case ddpm(VarianceChoice choice, Spacing spacing, int N) {
    DdpmStep step = new DdpmStep(LINEAR, Timesteps.select(spacing, T, N, 0), choice,
        T1LogVariance.CLIP_TO_BETA_TILDE_2, X0Clipping.NONE);
    return new Case("ddpm " + choice + " " + spacing + " N " + N, new DdpmSampler(step),
        SamplerLaw.ddpm(DATA, step));
  }

  private static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (Spacing spacing : List.of(Spacing.LINSPACE, Spacing.LEADING, Spacing.TRAILING)) {
      for (double eta : new double[] {0.0, 0.5, 1.0}) {
        out.add(ddim(eta, spacing, 10, PreviousTimestep.NEXT_SELECTED, FinalAlphaBar.ONE));
      }
      out.add(ddpm(VarianceChoice.FIXED_SMALL, spacing, 10));
      out.add(ddpm(VarianceChoice.FIXED_LARGE, spacing, 10));
    }
    out.add(ddim(0.5, Spacing.LINSPACE, 7, PreviousTimestep.FIXED_STRIDE,
        FinalAlphaBar.FIRST_SELECTED));
    out.add(ddim(1.0, Spacing.TRAILING, 40, PreviousTimestep.NEXT_SELECTED,
        FinalAlphaBar.FIRST_SELECTED));
    out.add(ddpm(VarianceChoice.FIXED_LARGE, Spacing.LINSPACE, 40));
    return out;
  }

  /**
   * Linear response. With ε* the sampler's map from (x_{t_1}, z_1, …, z_N) to x_0 is affine, x_0 =
   * b + A x_{t_1} + Σ_k g_k z_k per coordinate, so x_0 ~ N(b, A² + Σ g_k²) when x_{t_1} and the
   * z_k are independent N(0, 1). One batch reads every coefficient off the sampler: element 0
   * starts at 0 with no noise (b), element 1 at 1 (b + A), element 2 + k at 0 with z_k = 1 on step
   * k only (b + g_k). Every value is O(1), so the coefficients are exact to a few ulps and the law
   * must agree to 1e-12.
   */
  @Test
  void theLawIsTheSamplersAffineMapAppliedToNormalInputs() {
    for (Case c : cases()) {
      int steps = 64;
      int batch = steps + 2;
      double[][] start = new double[batch][MU.length];
      Arrays.fill(start[1], 1.0);
      StepNoise unit = (k, t, shape) -> {
        double[][] z = new double[batch][MU.length];
        Arrays.fill(z[2 + k], 1.0);
        return Nd4j.createFromArray(z);
      };
      double[][] x = c.sampler().sample(DATA, Nd4j.createFromArray(start), unit)
          .toDoubleMatrix();
      for (int i = 0; i < MU.length; i++) {
        double A = x[1][i] - x[0][i];
        double v = A * A;
        for (int b = 2; b < batch; b++) {
          double g = x[b][i] - x[0][i];
          v += g * g;
        }
        assertThat(c.law().mean(i)).as("%s: mean of coordinate %d", c.name(), i)
            .isCloseTo(x[0][i], within(1e-12));
        assertThat(c.law().variance(i)).as("%s: variance of coordinate %d", c.name(), i)
            .isCloseTo(v, within(1e-12));
      }
    }
  }

  /**
   * Monte Carlo through the reference samplers with portable noise (seed 11; x_{t_1} from stream
   * 0, the steps from stream 1): B = 400 samples of D = 40 coordinates (the four spread (μ, s)
   * repeated ten times; the point mass is checked to be μ to 1e-13). If the law is right each
   * sample is N(m_i, v_i), independent across samples and coordinates, so Σ_i B (x̄_i − m_i)²/v_i
   * ~ χ²(D) and Σ_i Σ_b (x_bi − m_i)²/v_i ~ χ²(B D) exactly. Both are checked two-sided in four
   * configurations at α = 1e-6/8 each: a false alarm in at most one run in a million. The variance
   * statistic's spread, √(2/(B D)) = 1.1 %, lets it catch a variance wrong by about 6 %.
   */
  @Test
  void theLawMatchesMonteCarloThroughTheSamplers() {
    int R = 10;
    int B = 400;
    int D = 4 * R + 1;
    double[] mu = new double[D];
    double[] s = new double[D];
    for (int j = 0; j < D - 1; j++) {
      mu[j] = MU[j % 4];
      s[j] = S[j % 4];
    }
    mu[D - 1] = MU[4];
    GaussianData data = new GaussianData(LINEAR, Nd4j.createFromArray(mu),
        Nd4j.createFromArray(s));
    double alpha = 1e-6 / 8;
    ChiSquaredDistribution means = new ChiSquaredDistribution(D - 1);
    ChiSquaredDistribution squares = new ChiSquaredDistribution((D - 1) * B);
    List<Object[]> configs = List.of(
        new Object[] {0.5, Spacing.LINSPACE, 20, null},
        new Object[] {1.0, Spacing.LEADING, 10, null},
        new Object[] {null, Spacing.TRAILING, 25, VarianceChoice.FIXED_SMALL},
        new Object[] {null, Spacing.LINSPACE, 15, VarianceChoice.FIXED_LARGE});
    for (Object[] config : configs) {
      Timesteps timesteps = Timesteps.select((Spacing) config[1], T, (int) config[2], 0);
      Sampler sampler;
      IndependentGaussian law;
      if (config[3] == null) {
        DdimStep step = new DdimStep(LINEAR, (double) config[0], DdimEpsilon.MODEL,
            FinalAlphaBar.ONE, X0Clipping.NONE);
        sampler = new DdimSampler(step, timesteps, PreviousTimestep.NEXT_SELECTED);
        law = SamplerLaw.ddim(data, step, timesteps, PreviousTimestep.NEXT_SELECTED);
      } else {
        DdpmStep step = new DdpmStep(LINEAR, timesteps, (VarianceChoice) config[3],
            T1LogVariance.CLIP_TO_BETA_TILDE_2, X0Clipping.NONE);
        sampler = new DdpmSampler(step);
        law = SamplerLaw.ddpm(data, step);
      }
      INDArray start = new PortableNoise(11, 0).normal(B, D);
      double[][] x = sampler.sample(data, start, StepNoise.from(new PortableNoise(11, 1)))
          .toDoubleMatrix();
      double meanStatistic = 0;
      double squareStatistic = 0;
      for (int i = 0; i < D - 1; i++) {
        double sum = 0;
        for (int b = 0; b < B; b++) {
          double d = x[b][i] - law.mean(i);
          sum += d;
          squareStatistic += d * d / law.variance(i);
        }
        meanStatistic += sum * sum / (B * law.variance(i));
      }
      for (int b = 0; b < B; b++) {
        assertThat(x[b][D - 1]).isCloseTo(MU[4], within(1e-13));
      }
      assertThat(law.variance(D - 1)).isZero();
      assertThat(meanStatistic).as("χ²(%d) of the means, %s", D - 1, timesteps)
          .isBetween(means.inverseCumulativeProbability(alpha / 2),
              means.inverseCumulativeProbability(1 - alpha / 2));
      assertThat(squareStatistic).as("χ²(%d) of the squares, %s", (D - 1) * B, timesteps)
          .isBetween(squares.inverseCumulativeProbability(alpha / 2),
              squares.inverseCumulativeProbability(1 - alpha / 2));
    }
  }

  /**
   * η = 0 is Euler's method for the probability-flow ODE in x̄ = x/√ᾱ, σ̄ = √((1 − ᾱ)/ᾱ) (Song et
   * al. 2021, eq. 13): with y = x̄ − μ and ε* = σ̄ y/(s² + σ̄²) (gaussian-oracle.md §4), a step t →
   * s multiplies y by e = 1 + (σ̄_s − σ̄_t) σ̄_t/(s² + σ̄_t²). So x_0 = μ + (∏ e) (x_T/√ᾱ_T − μ),
   * and from x_T ~ N(0, 1): mean μ (1 − ∏ e), variance (∏ e)²/ᾱ_T — a route through σ̄ alone,
   * never through DDIM's coefficients. Products of N ≤ 1000 O(1) factors: 1e-12 relative.
   */
  @Test
  void atEtaZeroTheLawIsEulersMethodOnTheFlow() {
    for (int N : new int[] {5, 50, 1000}) {
      Timesteps timesteps = Timesteps.linspace(T, N);
      IndependentGaussian law = SamplerLaw.ddim(DATA, DdimStep.deterministic(LINEAR), timesteps,
          PreviousTimestep.NEXT_SELECTED);
      for (int i = 0; i < MU.length; i++) {
        double product = 1.0;
        for (int k = 0; k < N; k++) {
          double from = sigmaBar(timesteps.get(k));
          double to = sigmaBar(timesteps.previous(k, PreviousTimestep.NEXT_SELECTED));
          product *= 1.0 + (to - from) * from / (S[i] * S[i] + from * from);
        }
        assertThat(law.mean(i)).as("N = %d, coordinate %d", N, i)
            .isCloseTo(MU[i] * (1 - product), within(1e-12));
        assertThat(law.variance(i)).as("N = %d, coordinate %d", N, i)
            .isCloseTo(product * product / LINEAR.alphaBar(T),
                within(1e-12 * Math.max(law.variance(i), 1e-3)));
      }
    }
  }

  /**
   * As the steps get finer, the η = 0 law tends to the exact flow's ({@link
   * GaussianData#flowLaw}), at first order: for linspace N = 10, 20, …, 320 the largest error of
   * the standard deviation, relative to the flow's, halves with each doubling (ratio in [1.8,
   * 2.2]: the step's error is ½Δ² s²/(s² + σ̄²)² + O(Δ³), gaussian-oracle.md §6, and the O(Δ³)
   * part is below 10 % of it from N = 10 on in this schedule). Beyond N = 320 of T = 1000 the
   * linspace steps are 1 or 2 timesteps long, no longer halved by doubling N (ratio 1.76 from 320
   * to 640). And the flow preserves KL: it is a
   * bijection pushing q(x_T) to the data, so KL(flow law ‖ data) = KL(N(0, 1) ‖ q(x_T)), to 1e-12
   * relative.
   */
  @Test
  void atEtaZeroTheLawTendsToTheExactFlowAtFirstOrder() {
    GaussianData spread = new GaussianData(LINEAR,
        Nd4j.createFromArray(Arrays.copyOf(MU, 4)),
        Nd4j.createFromArray(Arrays.copyOf(S, 4)));
    IndependentGaussian flow = spread.flowLaw(T);
    double previous = Double.NaN;
    for (int N = 10; N <= 320; N *= 2) {
      IndependentGaussian law = SamplerLaw.ddim(spread, DdimStep.deterministic(LINEAR),
          Timesteps.linspace(T, N), PreviousTimestep.NEXT_SELECTED);
      double error = 0;
      for (int i = 0; i < 4; i++) {
        error = Math.max(error,
            Math.abs(Math.sqrt(law.variance(i) / flow.variance(i)) - 1));
      }
      if (!Double.isNaN(previous)) {
        assertThat(previous / error).as("error ratio from N = %d to %d", N / 2, N)
            .isBetween(1.8, 2.2);
      }
      previous = error;
    }
    LawDistance moved = LawDistance.between(flow, spread.law());
    LawDistance start = LawDistance.between(IndependentGaussian.standard(4),
        spread.marginalLaw(T));
    assertThat(moved.klPQ()).isCloseTo(start.klPQ(), within(1e-12 * start.klPQ()));
    assertThat(moved.klQP()).isCloseTo(start.klQP(), within(1e-12 * start.klQP()));
  }

  /**
   * DDIM at η = 1 and strided DDPM with the fixed small variance are the same sampler (ddim.md: σ(1)²
   * = β̃_{t|s} and eq. 12's mean is then the posterior mean), though the code forms one from eq.
   * 12's coefficients and the other from eq. 7's: their laws agree to 1e-12.
   */
  @Test
  void ddimAtEtaOneIsDdpmWithTheSmallVariance() {
    for (Spacing spacing : List.of(Spacing.LINSPACE, Spacing.LEADING, Spacing.TRAILING)) {
      for (int N : new int[] {5, 100, 1000}) {
        IndependentGaussian ddim = ddim(1.0, spacing, N, PreviousTimestep.NEXT_SELECTED,
            FinalAlphaBar.ONE).law();
        IndependentGaussian ddpm = ddpm(VarianceChoice.FIXED_SMALL, spacing, N).law();
        for (int i = 0; i < MU.length; i++) {
          assertThat(ddim.mean(i)).isCloseTo(ddpm.mean(i), within(1e-12));
          assertThat(ddim.variance(i)).isCloseTo(ddpm.variance(i), within(1e-12));
        }
      }
    }
  }

  @Test
  void theSamplerMustShareTheDataSchedule() {
    Timesteps other = Timesteps.linspace(100, 10);
    assertThatThrownBy(() -> SamplerLaw.ddim(DATA, DdimStep.deterministic(Schedules.linear(100)),
        other, PreviousTimestep.NEXT_SELECTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share one schedule, got T = 1000, 100 and 100");
    assertThatThrownBy(() -> SamplerLaw.ddpm(DATA, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step");
  }

  private static double sigmaBar(int t) {
    return Math.sqrt(LINEAR.oneMinusAlphaBar(t) / LINEAR.alphaBar(t));
  }
}
