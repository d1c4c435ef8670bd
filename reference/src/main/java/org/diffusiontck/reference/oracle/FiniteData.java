package org.diffusiontck.reference.oracle;

import java.util.Arrays;
import org.diffusiontck.reference.Require;
import org.diffusiontck.reference.param.Parameterization;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An exact oracle: data drawn from a finite set of points y_1..y_K with probabilities π_1..π_K,
 * diffused on a {@link NoiseSchedule}. It is the model a network trained to optimality on that
 * set would become, so a sampler run on it has a known right answer.
 *
 * <p>Write a = ᾱ_t. Given the point k, x_t ~ N(√a y_k, (1 − a) I) (Ho et al. 2020, eq. 4), so by
 * Bayes' rule the posterior over the points is
 *
 * <pre>
 *   w_k(x_t) = P(k | x_t) = π_k exp(−‖x_t − √a y_k‖² / (2(1 − a))) / Σ_j π_j exp(−‖x_t − √a y_j‖² / (2(1 − a)))
 * </pre>
 *
 * (the Gaussian's normalizing constant (2π(1 − a))^{−D/2} is common to every k and cancels), and
 * E[x_0 | x_t] = Σ_k w_k y_k. Taking the conditional expectation of eq. 4 solved for ε gives the
 * optimal noise prediction ε* = E[ε | x_t] = (x_t − √a E[x_0 | x_t]) / √(1 − a).
 *
 * <p>Log space: with the logits l_k = log π_k − ‖x_t − √a y_k‖² / (2(1 − a)), the weights are
 * computed as exp(l_k − max_j l_j) / Σ_j exp(l_j − max_j l_j), per batch element. Every term is
 * at most 1 and the largest is 1, so the sum lies in [1, K]: no 0/0 even where every exp(l_k)
 * underflows (points far apart, t small), where the weights become one-hot and ε* stays finite.
 *
 * <p>Zero terminal SNR (a = 0 at t = T): every distance is ‖x_t‖², so w = π, E[x_0 | x_t] = Σ_k π_k
 * y_k and ε* = x_t.
 *
 * <p>t = 0 is rejected with an {@link IllegalArgumentException} naming t by every method that
 * takes x_t: there 1 − a = 0, x_t is x_0 itself, and the posterior given a point off the data set
 * is undefined. The samplers never ask for it ({@link NoisePredictor}: t ∈ 1..T).
 *
 * <p>Derivation: {@code spec/derivations/gaussian-oracle.md} §7.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class FiniteData extends ExactOracle {
  private final double[][] y;
  private final double[] logPi;

  /** Equally likely points y_1..y_K, given as a tensor [K, …] (point k at index k − 1). */
  public FiniteData(NoiseSchedule schedule, INDArray points) {
    this(schedule, points, uniform(points));
  }

  /**
   * Points y_1..y_K [K, …] with probabilities π_k = weights_k / Σ_j weights_j.
   *
   * @param weights one finite weight ≥ 0 per point, with a positive sum
   */
  public FiniteData(NoiseSchedule schedule, INDArray points, double[] weights) {
    super(schedule, new SampleShape("points", trailing(Require.batched("points", points))));
    this.y = shape.rows("points", points);
    this.logPi = logProbabilities(weights, y.length);
  }

  /** The built-in data set {@link TinyImage#dataSet()}, five 8×8 images, equally likely. */
  public static FiniteData tinyImages(NoiseSchedule schedule) {
    return new FiniteData(schedule, TinyImage.dataSet());
  }

  /**
   * The optimal noise prediction ε* = E[ε | x_t] = (x_t − √ᾱ_t E[x_0 | x_t]) / √(1 − ᾱ_t).
   *
   * @param t one timestep in 1..T per batch element
   */
  @Override
  public INDArray predict(INDArray xt, int[] t) {
    return new Parameterization(schedule).epsFromX0(xt, t, x0Mean(xt, t));
  }

  /**
   * The optimal x_0 prediction E[x_0 | x_t] = Σ_k w_k(x_t) y_k.
   *
   * @param t one timestep in 1..T per batch element
   */
  public INDArray x0Mean(INDArray xt, int[] t) {
    SampleShape.requireNoisy(t, xt, schedule);
    double[][] x = shape.rows("xt", xt);
    double[][] out = new double[x.length][shape.size()];
    for (int b = 0; b < x.length; b++) {
      double[] w = posterior(x[b], t[b]);
      for (int k = 0; k < y.length; k++) {
        for (int i = 0; i < out[b].length; i++) {
          out[b][i] += w[k] * y[k][i];
        }
      }
    }
    return shape.tensor(out);
  }

  /**
   * The posterior w_k(x_t) = P(k | x_t) over the points, as a tensor [B, K] whose rows sum to 1.
   *
   * @param t one timestep in 1..T per batch element
   */
  public INDArray weights(INDArray xt, int[] t) {
    SampleShape.requireNoisy(t, xt, schedule);
    double[][] x = shape.rows("xt", xt);
    double[][] out = new double[x.length][];
    for (int b = 0; b < x.length; b++) {
      out[b] = posterior(x[b], t[b]);
    }
    return Nd4j.createFromArray(out);
  }

  /** w_k for one batch element, by log-sum-exp over k. */
  private double[] posterior(double[] x, int t) {
    double sqrtAlphaBar = Math.sqrt(schedule.alphaBar(t));
    double twoOneMinusAlphaBar = 2.0 * schedule.oneMinusAlphaBar(t);
    double[] l = new double[y.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < y.length; k++) {
      double squaredDistance = 0.0;
      for (int i = 0; i < x.length; i++) {
        double d = x[i] - sqrtAlphaBar * y[k][i];
        squaredDistance += d * d;
      }
      l[k] = logPi[k] - squaredDistance / twoOneMinusAlphaBar;
      max = Math.max(max, l[k]);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      throw new IllegalArgumentException(
          "xt must be within a finite distance of the data, got coordinates " + Arrays.toString(x));
    }
    double sum = 0.0;
    for (int k = 0; k < y.length; k++) {
      l[k] = Math.exp(l[k] - max);
      sum += l[k];
    }
    for (int k = 0; k < y.length; k++) {
      l[k] /= sum;
    }
    return l;
  }

  /** The shape of one point: the shape of points [K, …] without its first dimension. */
  private static long[] trailing(INDArray points) {
    long[] full = points.shape();
    return Arrays.copyOfRange(full, 1, full.length);
  }

  private static double[] uniform(INDArray points) {
    Require.batched("points", points);
    double[] weights = new double[(int) points.size(0)];
    Arrays.fill(weights, 1.0);
    return weights;
  }

  /** log π_k = log weights_k − log Σ_j weights_j. */
  private static double[] logProbabilities(double[] weights, int K) {
    Require.atLeast("K, the number of points,", K, 1);
    if (weights == null || weights.length != K) {
      throw new IllegalArgumentException("weights must hold one weight per point (" + K
          + "), got " + (weights == null ? "null" : weights.length + " weights"));
    }
    double sum = 0.0;
    for (int k = 0; k < K; k++) {
      sum += Require.inClosed("weights " + k, weights[k], 0.0, Double.MAX_VALUE);
    }
    Require.positive("the sum of the weights", sum);
    double[] out = new double[K];
    for (int k = 0; k < K; k++) {
      out[k] = Math.log(weights[k]) - Math.log(sum);
    }
    return out;
  }
}
