package org.diffusiontck.reference.noise;

import org.apache.commons.rng.core.source64.Philox4x64;
import org.diffusiontck.reference.Require;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Portable standard-normal noise that any language reproduces ({@code spec/NOISE.md}).
 *
 * <ol>
 *   <li>Raw words: Philox4x64-10 (Salmon et al. 2011) with key (seed, stream) and counter
 *       (0, 0, 0, 0); the words w_0, w_1, … in the order numpy's {@code
 *       Philox(key=[seed, stream], counter=[0, 0, 0, 0]).random_raw()} returns them.
 *   <li>Uniforms: u_i = ((w_i ≫ 11) + 1) · 2^−53, an exact double in (0, 1] (never 0, so the
 *       logarithm below is finite).
 *   <li>Normals (Box–Muller, Box &amp; Muller 1958): for k = 0, 1, …, with r = √(−2 ln u_{2k}) and
 *       θ = 2π u_{2k+1}: z_{2k} = r cos θ, z_{2k+1} = r sin θ.
 *   <li>A tensor is filled in C (row-major) order from z_0; every call consumes whole pairs, so an
 *       odd-sized request discards the last sine and the next call starts on a fresh pair.
 * </ol>
 *
 * <p>{@link StrictMath} is used for ln, cos and sin, so Java results are bit-identical on every
 * JVM; another language's libm may differ from them in the last bits (see NOISE.md).
 */
public final class PortableNoise {
  private static final double TWO_POW_MINUS_53 = 0x1.0p-53;

  private final Philox4x64 philox;

  /** The stream (seed, 0). */
  public PortableNoise(long seed) {
    this(seed, 0L);
  }

  /** The stream keyed by (seed, stream), from counter 0. */
  public PortableNoise(long seed, long stream) {
    this.philox = new Philox4x64(new long[] {seed, stream, 0L, 0L, 0L, 0L});
  }

  /** The next raw 64-bit Philox word w_i. */
  public long nextWord() {
    return philox.nextLong();
  }

  /** u = ((w ≫ 11) + 1) · 2^−53 ∈ (0, 1] for the next raw word w. */
  public double nextUniform() {
    return ((nextWord() >>> 11) + 1) * TWO_POW_MINUS_53;
  }

  /** The next n standard normals z_0..z_{n−1} (Box–Muller on consecutive uniform pairs). */
  public double[] normals(int n) {
    Require.atLeast("n", n, 0);
    double[] z = new double[n];
    for (int i = 0; i < n; i += 2) {
      double r = StrictMath.sqrt(-2.0 * StrictMath.log(nextUniform()));
      double theta = 2.0 * Math.PI * nextUniform();
      z[i] = r * StrictMath.cos(theta);
      if (i + 1 < n) {
        z[i + 1] = r * StrictMath.sin(theta);
      }
    }
    return z;
  }

  /** A DOUBLE tensor of the given shape, filled in C order with the next normals. */
  public INDArray normal(long... shape) {
    if (shape.length == 0) {
      throw new IllegalArgumentException("shape must have at least one dimension, got []");
    }
    long n = 1;
    for (long d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException(
            "shape must have positive dimensions, got " + java.util.Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape holds too many elements: " + n);
    }
    return Nd4j.create(normals((int) n), shape, 'c').castTo(DataType.DOUBLE);
  }
}
