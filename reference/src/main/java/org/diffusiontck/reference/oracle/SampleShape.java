package org.diffusiontck.reference.oracle;

import java.util.Arrays;
import org.diffusiontck.reference.Require;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The shape of one data point — the trailing shape of x_t [B, …] — and the passage between tensors
 * [B, …] and rows of D coordinates in C order, in which the oracles evaluate their formulas
 * coordinate by coordinate.
 */
final class SampleShape {
  private final long[] shape;
  private final int size;

  /** The shape {@code shape} (at least one dimension, each positive). */
  SampleShape(String name, long[] shape) {
    if (shape.length == 0) {
      throw new IllegalArgumentException(
          name + " must have at least one dimension per data point, got shape []");
    }
    long n = 1;
    for (long d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException(
            name + " must have positive dimensions, got shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " holds too many coordinates: " + n);
    }
    this.shape = shape.clone();
    this.size = (int) n;
  }

  /** The shape of {@code point}, one data point (no batch dimension). */
  static SampleShape of(String name, INDArray point) {
    if (point == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return new SampleShape(name, point.shape());
  }

  /** D, the number of coordinates of one data point. */
  int size() {
    return size;
  }

  /** The shape of one data point. */
  long[] shape() {
    return shape.clone();
  }

  /** The coordinates of {@code point}, which must have exactly this shape (no batch dimension). */
  double[] coordinates(String name, INDArray point) {
    if (point == null || !Arrays.equals(point.shape(), shape)) {
      throw new IllegalArgumentException(name + " must have the shape " + Arrays.toString(shape)
          + ", got " + (point == null ? "null" : Arrays.toString(point.shape())));
    }
    return finite(name, flat(point));
  }

  /**
   * The rows of {@code x} [B, …]: row b holds the D coordinates of batch element b in C order.
   *
   * @throws IllegalArgumentException unless x's trailing shape is this shape and x is finite
   */
  double[][] rows(String name, INDArray x) {
    Require.batched(name, x);
    long[] full = x.shape();
    if (!Arrays.equals(Arrays.copyOfRange(full, 1, full.length), shape)) {
      throw new IllegalArgumentException(name + " must have the shape [B, "
          + Arrays.toString(shape).substring(1) + " (one data point per batch element), got "
          + Arrays.toString(full));
    }
    double[] values = flat(x);
    double[][] rows = new double[(int) full[0]][];
    for (int b = 0; b < rows.length; b++) {
      rows[b] = finite(name + " batch element " + b,
          Arrays.copyOfRange(values, b * size, (b + 1) * size));
    }
    return rows;
  }

  /** A DOUBLE tensor [B, …] whose batch element b holds {@code rows[b]}. */
  INDArray tensor(double[][] rows) {
    long[] full = new long[shape.length + 1];
    full[0] = rows.length;
    System.arraycopy(shape, 0, full, 1, shape.length);
    double[] values = new double[rows.length * size];
    for (int b = 0; b < rows.length; b++) {
      System.arraycopy(rows[b], 0, values, b * size, size);
    }
    return Nd4j.createFromArray(values).reshape('c', full);
  }

  /** The values of x in C order, as doubles (a C-order copy, so views and strides are read right). */
  private static double[] flat(INDArray x) {
    return x.dup('c').data().asDouble();
  }

  /**
   * Fails unless there is one timestep per batch element of x_t, each in 1..T: the model is
   * never asked at t = 0, where 1 − ᾱ_0 = 0 and x_t is x_0 itself.
   */
  static void requireNoisy(int[] t, INDArray xt, NoiseSchedule schedule) {
    Require.onePerSample("t", t, "xt", xt);
    for (int tb : t) {
      Require.timestep("t", tb, schedule.T());
      if (tb == 0) {
        throw new IllegalArgumentException("t must be in 1.." + schedule.T()
            + ": the posterior given x_t needs 1 - alphaBar_t > 0, which fails at t = 0");
      }
    }
  }

  /** Fails unless every value is finite, naming the first coordinate that is not. */
  private static double[] finite(String name, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        Require.finite(name + " coordinate " + i, values[i]);
      }
    }
    return values;
  }
}
