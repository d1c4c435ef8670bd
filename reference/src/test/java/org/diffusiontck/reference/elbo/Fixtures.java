package org.diffusiontck.reference.elbo;

import java.util.Random;
import org.diffusiontck.checks.rules.Quadrature;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded tensors and the Gaussian bin masses shared by this package's tests. */
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
   * The mass of N(μ, σ²) on [lower, upper] (either edge may be infinite) by the engine's quadrature
   * of the standard density over the standardized interval ({@link Quadrature#normalMass}, the
   * route the decoder rule uses), which drops only what lies beyond 40 standard deviations.
   */
  static double gaussianMass(double lower, double upper, double mean, double sigma) {
    return Quadrature.normalMass((lower - mean) / sigma, (upper - mean) / sigma);
  }

  private static long count(long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }
}
