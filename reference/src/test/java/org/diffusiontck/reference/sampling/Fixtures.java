package org.diffusiontck.reference.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small helpers the sampling tests share. */
final class Fixtures {
  /** A state x_t, a model output and a noise draw used across the step tests: O(1) values. */
  static final double[] X = {0.3, -1.2, 2.0};

  static final double[] OUT = {0.5, 0.1, -0.7};

  static final double[] Z = {-0.4, 1.5, 0.2};

  private Fixtures() {}

  /** A [1, n] tensor. */
  static INDArray row(double... values) {
    return Nd4j.create(values.clone(), new long[] {1, values.length}, 'c');
  }

  /** A DOUBLE tensor of the given shape holding {@code values} in C order. */
  static INDArray tensor(long[] shape, double... values) {
    return Nd4j.create(values, shape, 'c');
  }

  /** The coordinates of x in C order. */
  static double[] values(INDArray x) {
    return x.dup('c').data().asDouble();
  }
}
