package org.diffusiontck.reference.convergence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.reference.convergence.Fixtures.LINEAR;

import java.util.stream.Stream;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.sampling.DdpmSampler;
import org.diffusiontck.reference.sampling.DdpmStep;
import org.diffusiontck.reference.sampling.StepNoise;
import org.diffusiontck.reference.sampling.Timesteps;
import org.diffusiontck.reference.sampling.X0Clipping;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DDPM on the Gaussian oracle, linear schedule, T = 1000: with all T steps (Ho et al. 2020,
 * Algorithm 2, fixed small variance) and respaced to 100 linspace steps (fixed large variance),
 * the sample mean and variance per coordinate over a batch match the exact moments of the chain,
 * which are within the fixed-variance gap of the data's μ and s².
 *
 * <p>Independent route. On Gaussian data every step is affine in x_t plus Gaussian noise, so x_0
 * is Gaussian and its moments follow from a scalar recursion written here from the formulas, not
 * from the sampler's tensors. For a step t → s (s the next selected timestep, 0 after the last),
 * with a = ᾱ_t, V = a s² + 1 − a and β_{t|s} = 1 − ᾱ_t/ᾱ_s: the oracle's x̂_0 = μ + √a s²/V ·
 * (x_t − √a μ); the posterior mean μ̃ = c_0 x̂_0 + c_t x_t with c_0 = √ᾱ_s β_{t|s}/(1 − a) and c_t
 * = √(ᾱ_t/ᾱ_s) (1 − ᾱ_s)/(1 − a) (Ho et al. 2020, eq. 7; Kingma et al. 2021, eq. 6 for s &lt; t −
 * 1); so x_s = A x_t + b + σ z with A = c_t + c_0 √a s²/V, b = c_0 μ (1 − a)/V, and σ² = β̃_{t|s}
 * = (1 − ᾱ_s)/(1 − a) β_{t|s} (fixed small) or β_{t|s} (fixed large), 0 on the last step. From
 * x_T ~ N(0, 1): m ← A m + b, v ← A² v + σ².
 *
 * <p>The chain is not exactly the data: its reverse steps have a fixed variance where the true
 * reverse conditional's is β̃_{t|s} + c_0² Var[x_0 | x_t] (an O(β) gap per step), and x_T ~ N(0,
 * 1) stands for q(x_T) = N(√ᾱ_T μ, ᾱ_T s² + 1 − ᾱ_T). With all T steps the gap is at most 3.0 %
 * of s² (fixed small at s = 0.25; 0.9 % at s = 1), asserted within 4 %; respaced to 100 steps,
 * ten times coarser, it is about ten times larger (fixed large: +9.5 % at s = 0.25, −2.3 % at s =
 * 2), asserted within 12 %; the mean's is below 2e-4 in both, asserted within 1e-3. So the samples
 * approach the data's moments as the steps get finer, up to this gap.
 *
 * <p>Monte Carlo: a batch of B = 200, seed 7 (x_T from stream 0, the steps from stream 1), each
 * (μ, s) repeated in R = 10 coordinates, which are independent: n = 2000 samples of each. (The
 * sampler's cost per step grows with the batch more than with the coordinates.) For each of the
 * four non-degenerate (μ, s), √n (mean − m)/√v ~ N(0, 1) and Σ (x − m)²/v ~ χ²(n) exactly, since
 * x_0 is Gaussian; both are checked two-sided at α = 1e-6/8 each (Bonferroni over 8 statistics:
 * false-alarm rate ≤ 1e-6 per run). The point-mass coordinate (s = 0) is μ in every
 * sample: the last step returns x̂_0 = μ up to rounding of x_1 − √ᾱ_1 μ over √ᾱ_1, a few ulps of
 * O(1) numbers: 1e-14.
 */
class DdpmMomentsTest {
  private static final double[] MU = {0.5, -0.3, 0.0, 1.0, 0.7};
  private static final double[] S = {0.25, 0.5, 1.0, 2.0, 0.0};
  /** Each (μ, s) is repeated in R coordinates: n = B R samples of each. */
  private static final int R = 10;
  private static final int B = 200;
  private static final int N = B * R;
  private static final int T = 1000;

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /** The exact mean and variance of x_0 for coordinate (μ, s), by the recursion above. */
  private static double[] chainMoments(Timesteps timesteps, VarianceChoice choice, double mu,
      double s) {
    double m = 0.0;
    double v = 1.0;
    int[] t = timesteps.values();
    for (int k = 0; k < t.length; k++) {
      int next = k + 1 < t.length ? t[k + 1] : 0;
      double a = LINEAR.alphaBar(t[k]);
      double oneMinusA = LINEAR.oneMinusAlphaBar(t[k]);
      double as = LINEAR.alphaBar(next);
      double beta = 1.0 - a / as;
      double big = a * s * s + oneMinusA;
      double c0 = Math.sqrt(as) * beta / oneMinusA;
      double ct = Math.sqrt(a / as) * (1.0 - as) / oneMinusA;
      double gain = ct + c0 * Math.sqrt(a) * s * s / big;
      double shift = c0 * mu * oneMinusA / big;
      double noise = next == 0 ? 0.0
          : choice == VarianceChoice.FIXED_SMALL ? (1.0 - as) / oneMinusA * beta : beta;
      m = gain * m + shift;
      v = gain * gain * v + noise;
    }
    return new double[] {m, v};
  }

  static Stream<Arguments> runs() {
    return Stream.of(Arguments.of(VarianceChoice.FIXED_SMALL, Timesteps.all(T), 0.04),
        Arguments.of(VarianceChoice.FIXED_LARGE, Timesteps.linspace(T, 100), 0.12));
  }

  @ParameterizedTest
  @MethodSource("runs")
  void sampleMomentsMatchTheChainAndApproachTheData(VarianceChoice choice, Timesteps timesteps,
      double gap) {
    DdpmSampler ddpm = new DdpmSampler(new DdpmStep(LINEAR, timesteps, choice,
        T1LogVariance.CLIP_TO_BETA_TILDE_2, X0Clipping.NONE));
    double[] mu = repeated(MU);
    double[] x = Fixtures.values(ddpm.sample(Fixtures.gaussian(mu, repeated(S)),
        new PortableNoise(7, 0).normal(B, mu.length),
        StepNoise.from(new PortableNoise(7, 1))));

    double alpha = 1e-6 / 8;
    double z = new NormalDistribution().inverseCumulativeProbability(1.0 - alpha / 2);
    ChiSquaredDistribution chi2 = new ChiSquaredDistribution(N);
    double lo = chi2.inverseCumulativeProbability(alpha / 2);
    double hi = chi2.inverseCumulativeProbability(1.0 - alpha / 2);
    for (int i = 0; i < MU.length; i++) {
      double[] samples = new double[N];
      for (int b = 0; b < B; b++) {
        for (int r = 0; r < R; r++) {
          samples[b * R + r] = x[(b * R + r) * MU.length + i];
        }
      }
      if (S[i] == 0.0) {
        for (double sample : samples) {
          assertThat(sample).isCloseTo(MU[i], within(1e-14));
        }
        continue;
      }
      double[] exact = chainMoments(timesteps, choice, MU[i], S[i]);
      assertThat(exact[0]).as("chain mean, s = %s", S[i]).isCloseTo(MU[i], within(1e-3));
      assertThat(exact[1]).as("chain variance, s = %s", S[i])
          .isCloseTo(S[i] * S[i], within(gap * S[i] * S[i]));
      double mean = 0.0;
      double squares = 0.0;
      for (double sample : samples) {
        double d = sample - exact[0];
        mean += d;
        squares += d * d;
      }
      assertThat(mean / Math.sqrt(N * exact[1])).as("standardized mean, s = %s", S[i])
          .isBetween(-z, z);
      assertThat(squares / exact[1]).as("χ² of the variance, s = %s", S[i]).isBetween(lo, hi);
    }
  }

  /** The five (μ, s) values repeated R times: coordinate r · 5 + i holds value i. */
  private static double[] repeated(double[] values) {
    double[] out = new double[values.length * R];
    for (int j = 0; j < out.length; j++) {
      out[j] = values[j % values.length];
    }
    return out;
  }
}
