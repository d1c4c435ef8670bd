package org.diffusiontck.checks.impl;

import java.util.Arrays;

/**
 * A dense array in C (row-major) order, as it crosses the boundary to an implementation under test:
 * plain Java arrays, so that neither side needs a tensor library.
 */
public record Tensor(long[] shape, double[] data) {
  /**
   * Checks that {@code data} holds the product of {@code shape}'s dimensions.
   *
   * @param shape the dimensions, each ≥ 0
   * @param data the values in C order
   */
  public Tensor {
    if (shape == null || data == null) {
      throw new IllegalArgumentException("shape and data must not be null");
    }
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("shape must be non-negative, got " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "data must hold " + n + " values for shape " + Arrays.toString(shape) + ", got "
              + data.length);
    }
  }

  /**
   * The batch size.
   *
   * @return B = shape[0]
   */
  public int batch() {
    return (int) shape[0];
  }

  /**
   * Coordinates per batch element.
   *
   * @return the product of the trailing dimensions
   */
  public int perSample() {
    return shape[0] == 0 ? 0 : data.length / (int) shape[0];
  }

  /**
   * A tensor of this shape with other data.
   *
   * @param values the data, as many as this tensor's
   * @return the new tensor
   */
  public Tensor withData(double[] values) {
    return new Tensor(shape.clone(), values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor other
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
