package org.diffusiontck.reference.elbo;

import org.diffusiontck.reference.Require;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The discrete decoder of Ho et al. 2020, eq. 13: 8-bit data scaled to [−1, 1] (the grid x = k/127.5
 * − 1, k = 0..255) and, per coordinate, the mass that N(μ, σ²) puts on the bin of width 2/255
 * centred on x, with the edge bins open-ended:
 *
 * <pre>
 *   p(x | μ, σ²) = ∫_{δ−(x)}^{δ+(x)} N(y; μ, σ²) dy,
 *   δ+(x) = +∞ if x = 1, else x + 1/255;   δ−(x) = −∞ if x = −1, else x − 1/255.
 * </pre>
 *
 * <p>Extremes: the mass is a difference of CDFs taken on the side of the mean that does not cancel
 * (see {@link NormalCdf#mass}); the edge bins are Φ((δ+ − μ)/σ) at x = −1 and the survival
 * Φ((μ − δ−)/σ) at x = +1. The log-likelihood floors the mass at {@link #PROBABILITY_FLOOR} = 1e-12
 * before the logarithm, as improved-diffusion's {@code discretized_gaussian_log_likelihood} does,
 * so one coordinate contributes at most 12 ln 10 ≈ 27.63 nats; the floor touches only bins the
 * model gives less than 1e-12.
 *
 * <p>Derivation: {@code spec/derivations/elbo.md} §5.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class DiscretizedGaussian {
  /** The floor on a bin's mass before the logarithm (improved-diffusion's {@code clamp(min=1e-12)}). */
  public static final double PROBABILITY_FLOOR = 1e-12;

  /**
   * How far a data value may be from the grid k/127.5 − 1. Data scaled in float32 (x/127.5 − 1,
   * or x/255·2 − 1) is off by at most two roundings of ≤ 6e-8 each; 1e-6 accepts that with a margin
   * and is still 3900 times smaller than the half-spacing 1/255, so the grid index is unambiguous.
   */
  public static final double GRID_TOLERANCE = 1e-6;

  /** The number of 8-bit levels. */
  public static final int LEVELS = 256;

  private DiscretizedGaussian() {}

  /**
   * The 8-bit level k ∈ 0..255 of a data value x_0 = k/127.5 − 1.
   *
   * @throws IllegalArgumentException if x_0 is farther than {@link #GRID_TOLERANCE} from the grid
   */
  public static int level(double x0) {
    double k = Math.rint((x0 + 1.0) * 127.5);
    if (!(k >= 0 && k < LEVELS && Math.abs(x0 - (k / 127.5 - 1.0)) <= GRID_TOLERANCE)) {
      throw new IllegalArgumentException(
          "x0 must be 8-bit data scaled to [-1, 1] (k/127.5 - 1 within " + GRID_TOLERANCE
              + "), got " + x0);
    }
    return (int) k;
  }

  /**
   * The mass of N(μ, exp(logVariance)) on the bin of level k (Ho et al. 2020, eq. 13), without the
   * floor: the bin edges are (2k ± 1)/255 − 1, with −∞ below level 0 and +∞ above level 255.
   */
  public static double binProbability(int k, double mean, double logVariance, NormalCdf cdf) {
    if (k < 0 || k >= LEVELS) {
      throw new IllegalArgumentException("k must be in 0..255, got " + k);
    }
    Require.finite("mean", mean);
    Require.finite("logVariance", logVariance);
    double lower = k == 0 ? Double.NEGATIVE_INFINITY : (2.0 * k - 1.0) / 255.0 - 1.0;
    double upper = k == LEVELS - 1 ? Double.POSITIVE_INFINITY : (2.0 * k + 1.0) / 255.0 - 1.0;
    double invSigma = Math.exp(-0.5 * logVariance);
    return cdf.mass((lower - mean) * invSigma, (upper - mean) * invSigma);
  }

  /**
   * log p(x_0 | μ, σ²) per coordinate (Ho et al. 2020, eq. 13), with the mass floored at {@link
   * #PROBABILITY_FLOOR}; all three tensors of one shape.
   */
  public static INDArray logLikelihood(
      INDArray x0, INDArray mean, INDArray logVariance, NormalCdf cdf) {
    Require.sameShape("x0", x0, "mean", mean);
    Require.sameShape("x0", x0, "logVariance", logVariance);
    if (cdf == null) {
      throw new IllegalArgumentException("cdf must not be null");
    }
    double[] x = flat(x0);
    double[] mu = flat(mean);
    double[] logVar = flat(logVariance);
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double p = binProbability(level(x[i]), mu[i], logVar[i], cdf);
      out[i] = Math.log(Math.max(p, PROBABILITY_FLOOR));
    }
    return Nd4j.create(out, x0.shape(), 'c');
  }

  private static double[] flat(INDArray x) {
    return Nd4j.toFlattened('c', x).toDoubleVector();
  }
}
