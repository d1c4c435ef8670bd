package org.diffusiontck.reference.oracle;

import java.util.Arrays;
import org.diffusiontck.reference.Require;

/**
 * The law N(m, diag(v)) of D independent coordinates, m and v per coordinate in C order: the law
 * of Gaussian data, of its marginals q(x_t), and of a sampler's output on the Gaussian oracle
 * ({@link SamplerLaw}). A coordinate with v = 0 is a point mass at m.
 *
 * <p>Derivation: {@code spec/derivations/sampler-law.md} §2.
 * Its "In the code" table names this class's methods.
 *
 * @param mean m, one value per coordinate
 * @param variance v ≥ 0, one value per coordinate
 */
public record IndependentGaussian(double[] mean, double[] variance) {
  public IndependentGaussian {
    if (mean == null || variance == null || mean.length != variance.length
        || mean.length == 0) {
      throw new IllegalArgumentException("mean and variance must hold the same positive number"
          + " of coordinates, got " + (mean == null ? "null" : mean.length) + " and "
          + (variance == null ? "null" : variance.length));
    }
    mean = mean.clone();
    variance = variance.clone();
    for (int i = 0; i < mean.length; i++) {
      Require.finite("mean coordinate " + i, mean[i]);
      Require.inClosed("variance coordinate " + i, variance[i], 0.0, Double.MAX_VALUE);
    }
  }

  /** N(0, I) in D coordinates: the start x_T ~ N(0, I) of every sampler. */
  public static IndependentGaussian standard(int D) {
    Require.atLeast("D", D, 1);
    double[] one = new double[D];
    Arrays.fill(one, 1.0);
    return new IndependentGaussian(new double[D], one);
  }

  /** D, the number of coordinates. */
  public int dimension() {
    return mean.length;
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] variance() {
    return variance.clone();
  }

  /** m_i. */
  public double mean(int i) {
    return mean[i];
  }

  /** v_i. */
  public double variance(int i) {
    return variance[i];
  }
}
