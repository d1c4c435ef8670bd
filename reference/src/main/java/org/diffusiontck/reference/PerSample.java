package org.diffusiontck.reference;

import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Coefficients that depend on the timestep, one per batch element, applied to tensors [B, …]: the
 * kit's timestep is per batch element ({@code spec/CONVENTIONS.md}, "Shapes"). Tensors are DOUBLE.
 *
 * <p>How, for speed (figures and the measurements behind this in {@code bench/README.md}). In a
 * C-order array with the default strides, batch element b is the contiguous block of n = length/B
 * values from b·n, so a_b · x[b] + c_b · y[b] is one multiply-add per value of one block. Each
 * method allocates its one output and fills it in a single pass: values move between the
 * off-heap buffers and small Java arrays in bulk copies, and a plain loop over those arrays does
 * the arithmetic, as a_b · x + c_b · y with each product and the sum rounded once (Java never
 * fuses them). ND4J's broadcast ops instead allocate an off-heap temporary per term and make a
 * native call per op. An input laid out otherwise (a strided view, Fortran order) is first copied
 * to C order.
 */
public final class PerSample {
  private PerSample() {}

  /** c(t_b) for each batch element b. */
  public static double[] coefficient(int[] t, IntToDoubleFunction c) {
    double[] out = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      out[b] = c.applyAsDouble(t[b]);
    }
    return out;
  }

  /** A new tensor holding c_b · x[b] for each batch element b. */
  public static INDArray scale(double[] c, INDArray x) {
    requireOnePerSample("c", c, "x", x);
    Values xv = new Values(x);
    double[] xs = chunk(x);
    return perBatchElement(x, (out, b, from, count) -> {
      xv.get(from, xs, count);
      double cb = c[b];
      for (int k = 0; k < count; k++) {
        out[k] = cb * xs[k];
      }
    });
  }

  /** A new tensor of the shape of {@code like} holding c_b in every coordinate of element b. */
  public static INDArray fill(double[] c, INDArray like) {
    requireOnePerSample("c", c, "like", like);
    return perBatchElement(like, (out, b, from, count) -> Arrays.fill(out, 0, count, c[b]));
  }

  /** a_b · x[b] + c_b · y[b] for each batch element b. */
  public static INDArray combine(double[] a, INDArray x, double[] c, INDArray y) {
    requireOnePerSample("a", a, "x", x);
    requireOnePerSample("c", c, "y", y);
    Require.sameShape("x", x, "y", y);
    Values xv = new Values(x);
    Values yv = new Values(y);
    double[] xs = chunk(x);
    double[] ys = chunk(y);
    return perBatchElement(x, (out, b, from, count) -> {
      xv.get(from, xs, count);
      yv.get(from, ys, count);
      sum(out, a[b], xs, c[b], ys, count);
    });
  }

  /**
   * a_b · x[b] + c_b · y[b] + d_b · z[b] for each batch element b, summed left to right (so that
   * the first two terms round as {@link #combine(double[], INDArray, double[], INDArray)} rounds
   * them). Where d_b = 0 the last term is left out and z[b] is not read: z is typically a step's
   * noise, unused where its scale is 0.
   */
  public static INDArray combine(
      double[] a, INDArray x, double[] c, INDArray y, double[] d, INDArray z) {
    requireOnePerSample("a", a, "x", x);
    requireOnePerSample("c", c, "y", y);
    requireOnePerSample("d", d, "z", z);
    Require.sameShape("x", x, "y", y);
    Require.sameShape("x", x, "z", z);
    Values xv = new Values(x);
    Values yv = new Values(y);
    Values zv = new Values(z);
    double[] xs = chunk(x);
    double[] ys = chunk(y);
    double[] zs = chunk(z);
    return perBatchElement(x, (out, b, from, count) -> {
      xv.get(from, xs, count);
      yv.get(from, ys, count);
      double db = d[b];
      if (db == 0.0) {
        sum(out, a[b], xs, c[b], ys, count);
        return;
      }
      zv.get(from, zs, count);
      double ab = a[b];
      double cb = c[b];
      for (int k = 0; k < count; k++) {
        out[k] = ab * xs[k] + cb * ys[k] + db * zs[k];
      }
    });
  }

  /** out[k] = a · x[k] + c · y[k] for k &lt; count. */
  private static void sum(double[] out, double a, double[] x, double c, double[] y, int count) {
    for (int k = 0; k < count; k++) {
      out[k] = a * x[k] + c * y[k];
    }
  }

  /**
   * The values are moved between the off-heap buffers and Java arrays of this many doubles (8 KB,
   * a few of which fit in the L1 cache): bulk copies and a loop over arrays are about twice as
   * fast as reading and writing the buffers one value at a time.
   */
  private static final int CHUNK = 1024;

  /**
   * Writes into out[0, count) the output values [from, from + count) of batch element b. (An
   * implementation reads its coefficient into a local before its loop: out might alias the
   * coefficient array as far as the JIT knows, which would otherwise reload it for every value.)
   */
  private interface Chunk {
    void write(double[] out, int b, int from, int count);
  }

  /**
   * A new C-order DOUBLE tensor of the shape of {@code like}: batch element b is the values
   * [b·n, (b + 1)·n) with n = length/B, which {@code chunk} computes a chunk at a time.
   */
  private static INDArray perBatchElement(INDArray like, Chunk chunk) {
    INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, like.shape(), 'c');
    Values outv = new Values(out);
    double[] outs = chunk(like);
    long batch = like.size(0);
    int n = Math.toIntExact(like.length() / batch);
    for (int b = 0; b < batch; b++) {
      for (int from = b * n, end = from + n; from < end; from += outs.length) {
        int count = Math.min(outs.length, end - from);
        chunk.write(outs, b, from, count);
        outv.put(from, outs, count);
      }
    }
    return out;
  }

  /** A scratch array of {@link #CHUNK} doubles, or fewer if x is smaller. */
  private static double[] chunk(INDArray x) {
    return new double[(int) Math.min(CHUNK, x.length())];
  }

  /**
   * True when the values of {@code x} lie in C order, one after the other, in its buffer: every
   * dimension longer than 1 has stride = the product of the later dimensions (the stride of a
   * dimension of length 1 never addresses a value).
   */
  static boolean contiguous(INDArray x) {
    long[] shape = x.shape();
    long[] stride = x.stride();
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return true;
  }

  /**
   * The values of a tensor in C order, index 0 being x[0, 0, …], moved in bulk between its
   * off-heap buffer and Java arrays through an NIO view of the buffer from the array's offset: of
   * x itself when {@link #contiguous}, else of a C-order copy.
   *
   * <p>The NIO view does not keep the array alive, and ND4J frees an array's off-heap buffer once
   * the collector finds the array unreachable, which may be while its values are still being read
   * (the JIT ends a local's life at its last use: an x̂_0 or ε̂ a caller made only to pass here, or
   * the C-order copy). This class therefore holds the array and keeps it reachable until each
   * bulk copy has finished.
   */
  private static final class Values {
    private final INDArray array;
    private final DoubleBuffer buffer;

    Values(INDArray x) {
      array = contiguous(x) ? x : x.dup('c');
      buffer = array.data().asNioDouble().position(Math.toIntExact(array.offset())).slice();
    }

    /** to[0, count) = values [from, from + count). */
    void get(int from, double[] to, int count) {
      buffer.get(from, to, 0, count);
      Reference.reachabilityFence(array);
    }

    /** values [from, from + count) = values[0, count); for an array that is {@link #contiguous}. */
    void put(int from, double[] values, int count) {
      buffer.put(from, values, 0, count);
      Reference.reachabilityFence(array);
    }
  }

  /** Fails unless x is a non-empty DOUBLE tensor [B, …] and c holds one coefficient per b. */
  private static void requireOnePerSample(String cName, double[] c, String xName, INDArray x) {
    Require.batched(xName, x);
    if (x.dataType() != DataType.DOUBLE || x.isEmpty()) {
      throw new IllegalArgumentException(xName + " must be a non-empty DOUBLE tensor, got "
          + (x.isEmpty() ? "an empty " : "") + x.dataType() + " " + Arrays.toString(x.shape()));
    }
    if (c == null || c.length != x.size(0)) {
      throw new IllegalArgumentException(
          cName + " must hold one coefficient per batch element of " + xName + " (" + x.size(0)
              + "), got " + (c == null ? "null" : c.length + " coefficients"));
    }
  }
}
