package org.diffusiontck.reference.elbo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.diffusiontck.reference.elbo.Fixtures.tensor;

import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class DiscretizedGaussianTest {
  /** (mean, σ) pairs from wide to far narrower than a bin, inside and outside [−1, 1]. */
  private static final double[][] GAUSSIANS = {
    {0.0, 1.0}, {0.3, 0.5}, {-0.97, 0.2}, {0.999, 0.05}, {0.5, 1e-3}, {-1.2, 0.1}, {2.0, 0.3},
    {0.01, 1e-5}, {-0.4, 10.0}
  };

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /** Every level, its value k/127.5 − 1, and that value rounded to float32, map back to k. */
  @Test
  void levelRecoversTheEightBitValue() {
    for (int k = 0; k < 256; k++) {
      assertThat(DiscretizedGaussian.level(k / 127.5 - 1.0)).isEqualTo(k);
      assertThat(DiscretizedGaussian.level((float) (k / 127.5f - 1.0f))).isEqualTo(k);
    }
  }

  /** Off the grid by more than 1e-6, outside [−1, 1], or not a number: rejected, naming x0. */
  @Test
  void levelRejectsValuesOffTheGrid() {
    double onGrid = 40 / 127.5 - 1.0;
    assertThat(DiscretizedGaussian.level(onGrid + 0.9e-6)).isEqualTo(40);
    for (double bad : new double[] {onGrid + 1.1e-6, 0.0, 1.01, -1.0 - 2.0 / 255.0, Double.NaN}) {
      assertThatThrownBy(() -> DiscretizedGaussian.level(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("x0")
          .hasMessageContaining(String.valueOf(bad));
    }
  }

  /**
   * The 256 masses sum to 1 (the bins partition the line). Adjacent bins share their edge,
   * computed by the same expression, so the CDF values cancel exactly in the sum except for one
   * Φ(e) + Φ(−e) where the formula switches to the upper tail (within 4e-16 of 1, see
   * NormalCdfTest); each of the 256 subtractions and additions rounds by at most 2^−53 of a partial
   * sum ≤ 1: at most 6e-14 in all, under the 1e-12 asked. The same holds for the tanh option, whose
   * 1/(1 + e^{−2u}) form is symmetric too.
   */
  @Test
  void massesOverAllLevelsSumToOne() {
    for (NormalCdf cdf : NormalCdf.values()) {
      for (double[] g : GAUSSIANS) {
        double sum = 0;
        for (int k = 0; k < 256; k++) {
          sum += DiscretizedGaussian.binProbability(k, g[0], 2 * Math.log(g[1]), cdf);
        }
        assertThat(sum).as("%s, mean %s, sigma %s", cdf, g[0], g[1]).isCloseTo(1.0, within(1e-12));
      }
    }
  }

  /**
   * Each mass against the quadrature of the Gaussian density over the bin (Fixtures.gaussianMass),
   * for every level whose mass is above 1e-190 (so that the density at the nearer edge stays far
   * from underflow), including bins 20+ standard deviations into either tail. Relative tolerance
   * 1e-12: quadrature and Erf are both within ~1e-14; rounding −z/√2 before erfc adds z²·2^−53 ≤
   * 1e-13 relative for z ≤ 29; and the two routes standardize the same edges with 1/σ computed
   * differently (exp(−½ log σ²) against division by σ), a few ulps of z, another z²·2^−51 ≤ 4e-13.
   */
  @Test
  void exactMassesMatchNumericalIntegration() {
    int tails = 0;
    for (double[] g : GAUSSIANS) {
      for (int k = 0; k < 256; k++) {
        double lower = k == 0 ? Double.NEGATIVE_INFINITY : (2.0 * k - 1) / 255 - 1;
        double upper = k == 255 ? Double.POSITIVE_INFINITY : (2.0 * k + 1) / 255 - 1;
        boolean inside = g[0] > lower && g[0] < upper;
        double distance = inside ? 0 : Math.min(Math.abs(lower - g[0]), Math.abs(upper - g[0])) / g[1];
        if (distance > 29) {
          continue;
        }
        double expected = Fixtures.gaussianMass(lower, upper, g[0], g[1]);
        double p = DiscretizedGaussian.binProbability(k, g[0], 2 * Math.log(g[1]), NormalCdf.EXACT);
        assertThat(p).as("level %d, mean %s, sigma %s", k, g[0], g[1])
            .isCloseTo(expected, within(1e-12 * expected));
        tails += distance > 20 ? 1 : 0;
      }
    }
    assertThat(tails).as("bins checked beyond 20 standard deviations").isGreaterThan(10);
  }

  /**
   * Hand cases with σ = 1/255, half a bin: an interior bin centred on the mean holds Φ(1) − Φ(−1) =
   * erf(1/√2) = 0.6826894921370859; the top bin with the mean on it holds Φ(1) = 0.8413447460685429
   * (published values). The edges and the mean are O(1) doubles whose difference, about 1/255,
   * carries up to 3.3e-16 of rounding: z = ±1 is off by up to 8.5e-14 relative, which moves Φ by
   * φ(1)·8.5e-14 ≈ 2e-14 per edge. Tolerance 5e-14.
   */
  @Test
  void handCasesAtHalfABinStandardDeviation() {
    double logVariance = 2 * Math.log(1.0 / 255.0);
    assertThat(DiscretizedGaussian.binProbability(200, 200 / 127.5 - 1, logVariance,
        NormalCdf.EXACT)).isCloseTo(0.6826894921370859, within(5e-14));
    assertThat(DiscretizedGaussian.binProbability(255, 1.0, logVariance, NormalCdf.EXACT))
        .isCloseTo(0.8413447460685429, within(5e-14));
    assertThat(DiscretizedGaussian.binProbability(0, -1.0, logVariance, NormalCdf.EXACT))
        .isCloseTo(0.8413447460685429, within(5e-14));
  }

  /** Each bin's tanh mass is within twice the approximation's 1.8e-4 (one per edge) of the exact. */
  @Test
  void tanhMassesAreWithinTheApproximationError() {
    for (double[] g : GAUSSIANS) {
      for (int k = 0; k < 256; k++) {
        double lv = 2 * Math.log(g[1]);
        assertThat(DiscretizedGaussian.binProbability(k, g[0], lv, NormalCdf.TANH_APPROXIMATION))
            .isCloseTo(DiscretizedGaussian.binProbability(k, g[0], lv, NormalCdf.EXACT),
                within(3.6e-4));
      }
    }
  }

  /**
   * Per coordinate of a [2, 2] tensor: log of the quadrature mass where it is above the floor, and
   * exactly log 1e-12 where the model puts less than 1e-12 on the bin (the data value 1 under N(−1,
   * 0.01)). Log of a mass with relative error 1e-12 is within 1e-12 absolute.
   */
  @Test
  void logLikelihoodIsTheLogMassWithTheFloor() {
    double[] x0 = {1.0, 3 / 127.5 - 1, 130 / 127.5 - 1, -1.0};
    double[] mean = {-1.0, -0.9, 0.05, -0.95};
    double[] sigma = {0.1, 0.05, 0.5, 0.02};
    double[] logVariance = new double[4];
    for (int i = 0; i < 4; i++) {
      logVariance[i] = 2 * Math.log(sigma[i]);
    }
    INDArray logLikelihood = DiscretizedGaussian.logLikelihood(tensor(x0, 2, 2),
        tensor(mean, 2, 2), tensor(logVariance, 2, 2), NormalCdf.EXACT);
    assertThat(logLikelihood.shape()).containsExactly(2, 2);
    assertThat(logLikelihood.getDouble(0, 0)).isEqualTo(Math.log(1e-12));
    double h = 1.0 / 255;
    double[][] bins = {{}, {x0[1] - h, x0[1] + h}, {x0[2] - h, x0[2] + h},
        {Double.NEGATIVE_INFINITY, -1 + h}};
    for (int i = 1; i < 4; i++) {
      double expected = Math.log(Fixtures.gaussianMass(bins[i][0], bins[i][1], mean[i], sigma[i]));
      assertThat(logLikelihood.getDouble(i / 2, i % 2)).as("coordinate %d", i)
          .isCloseTo(expected, within(1e-12));
    }
  }

  /** Bad mean or log-variance, shapes that differ, and data off the grid are named. */
  @Test
  void rejectsBadInput() {
    INDArray x0 = tensor(new double[] {1.0, -1.0}, 2);
    INDArray ok = tensor(new double[] {0.0, 0.0}, 2);
    assertThatThrownBy(() -> DiscretizedGaussian.logLikelihood(
            x0, tensor(new double[] {0.0, Double.NaN}, 2), ok, NormalCdf.EXACT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mean");
    assertThatThrownBy(() -> DiscretizedGaussian.logLikelihood(
            x0, ok, tensor(new double[] {Double.POSITIVE_INFINITY, 0.0}, 2), NormalCdf.EXACT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logVariance");
    assertThatThrownBy(() -> DiscretizedGaussian.logLikelihood(
            x0, ok.reshape(1, 2), ok, NormalCdf.EXACT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mean");
    assertThatThrownBy(() -> DiscretizedGaussian.logLikelihood(
            tensor(new double[] {0.5, 1.0}, 2), ok, ok, NormalCdf.EXACT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x0");
    assertThatThrownBy(() -> DiscretizedGaussian.binProbability(256, 0.0, 0.0, NormalCdf.EXACT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
  }
}
