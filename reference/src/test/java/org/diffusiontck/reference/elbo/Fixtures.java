package org.diffusiontck.reference.elbo;

import java.util.Random;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded tensors and the numerical-integration route shared by this package's tests. */
final class Fixtures {
  private Fixtures() {}

  /** Standard-normal noise of the given shape from a seeded generator. */
  static INDArray gaussian(Random random, long... shape) {
    double[] data = new double[(int) count(shape)];
    for (int i = 0; i < data.length; i++) {
      data[i] = random.nextGaussian();
    }
    return Nd4j.create(data, shape, 'c');
  }

  /** 8-bit data k/127.5 − 1 with uniform levels k, of the given shape. */
  static INDArray gridData(Random random, long... shape) {
    double[] data = new double[(int) count(shape)];
    for (int i = 0; i < data.length; i++) {
      data[i] = random.nextInt(256) / 127.5 - 1.0;
    }
    return Nd4j.create(data, shape, 'c');
  }

  static INDArray tensor(double[] data, long... shape) {
    return Nd4j.create(data.clone(), shape, 'c');
  }

  /**
   * ∫_a^b f by the composite 32-point Gauss–Legendre rule on pieces no wider than 1/4. The rule is
   * exact for polynomials of degree 63; the integrands here are entire functions (a Gaussian density
   * times a polynomial, or e^{−z²/2} with |z| ≤ 30, which varies by at most e^{−7.5} across a
   * piece), whose degree-63 Taylor remainder on a piece is below 1e-25 relative: the error is that
   * of rounding, about 1e-16 times the integral of |f|.
   */
  static double integrate(UnivariateFunction f, double a, double b) {
    int pieces = (int) Math.ceil((b - a) / 0.25);
    double width = (b - a) / pieces;
    double sum = 0;
    for (int i = 0; i < pieces; i++) {
      sum += RULES.legendre(32, a + i * width, a + (i + 1) * width).integrate(f);
    }
    return sum;
  }

  private static final GaussIntegratorFactory RULES = new GaussIntegratorFactory();

  /**
   * The mass of N(μ, σ²) on [lower, upper] by quadrature of the standard density over the
   * standardized interval; an infinite edge is replaced by one 40 standard deviations beyond the
   * finite one, where the density has fallen by e^{−800} or more relative to the finite edge.
   */
  static double gaussianMass(double lower, double upper, double mean, double sigma) {
    double a = (lower - mean) / sigma;
    double b = (upper - mean) / sigma;
    if (Double.isInfinite(a)) {
      a = b - 40.0;
    }
    if (Double.isInfinite(b)) {
      b = a + 40.0;
    }
    return integrate(z -> Math.exp(-0.5 * z * z) / Math.sqrt(2.0 * Math.PI), a, b);
  }

  private static long count(long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }
}
