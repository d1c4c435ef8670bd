package org.diffusiontck.reference;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Input validation shared by the reference. Every failure is an {@link IllegalArgumentException}
 * whose message names the parameter and the offending value, so that a wrong input is never
 * turned into a silent wrong number.
 */
public final class Require {
  private Require() {}

  /** Fails unless {@code value} is finite. */
  public static double finite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite, got " + value);
    }
    return value;
  }

  /** Fails unless {@code lo <= value <= hi} (NaN fails). */
  public static double inClosed(String name, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi)) {
      throw new IllegalArgumentException(
          name + " must be in [" + lo + ", " + hi + "], got " + value);
    }
    return value;
  }

  /** Fails unless {@code lo < value <= hi} (NaN fails). */
  public static double inHalfOpen(String name, double value, double lo, double hi) {
    if (!(value > lo && value <= hi)) {
      throw new IllegalArgumentException(
          name + " must be in (" + lo + ", " + hi + "], got " + value);
    }
    return value;
  }

  /** Fails unless {@code value > 0} and finite. */
  public static double positive(String name, double value) {
    if (!(value > 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
    }
    return value;
  }

  /** Fails unless {@code value >= min}. */
  public static int atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  /** Fails unless {@code 0 <= t <= T}. */
  public static int timestep(String name, int t, int T) {
    if (t < 0 || t > T) {
      throw new IllegalArgumentException(name + " must be in 0.." + T + ", got " + t);
    }
    return t;
  }

  /** Fails unless {@code 0 <= s < t}. */
  public static void earlier(String sName, int s, String tName, int t) {
    if (s < 0 || s >= t) {
      throw new IllegalArgumentException(
          sName + " must satisfy 0 <= " + sName + " < " + tName + " = " + t + ", got " + s);
    }
  }

  /** Fails unless the array is non-null and has at least one dimension (the batch). */
  public static INDArray batched(String name, INDArray x) {
    if (x == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (x.rank() < 1) {
      throw new IllegalArgumentException(
          name + " must have a leading batch dimension, got shape " + Arrays.toString(x.shape()));
    }
    return x;
  }

  /** Fails unless {@code x} and {@code y} have the same shape. */
  public static void sameShape(String xName, INDArray x, String yName, INDArray y) {
    batched(xName, x);
    batched(yName, y);
    if (!Arrays.equals(x.shape(), y.shape())) {
      throw new IllegalArgumentException(
          yName + " must have the shape of " + xName + " " + Arrays.toString(x.shape())
              + ", got " + Arrays.toString(y.shape()));
    }
  }

  /** Fails unless there is one timestep per batch element of {@code x}. */
  public static void onePerSample(String tName, int[] t, String xName, INDArray x) {
    batched(xName, x);
    if (t == null || t.length != x.size(0)) {
      throw new IllegalArgumentException(
          tName + " must hold one timestep per batch element of " + xName + " (" + x.size(0)
              + "), got " + (t == null ? "null" : t.length + " timesteps"));
    }
  }
}
