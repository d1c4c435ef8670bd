package org.diffusiontck.checks.rules;

import org.apache.commons.rng.core.source64.Philox4x64;

/**
 * The portable standard normals of {@code spec/NOISE.md}, written from that page for the engine's
 * generators (the reference has its own, on ND4J; a test in {@code checks} holds the two bit-equal,
 * and NOISE-1's known answers, written by numpy, check this one).
 *
 * <p>Raw words w_i: Philox4x64-10 keyed (seed, stream) from counter 0 (§1). Uniforms u_i = ((w_i ≫
 * 11) + 1) · 2^−53 ∈ (0, 1] (§2). Normals, Box–Muller on pairs (§3): r = √(−2 ln u_{2k}), θ = 2π
 * u_{2k+1}, z_{2k} = r cos θ, z_{2k+1} = r sin θ; an odd count drops the last sine (§4). {@link
 * StrictMath} makes the values the same on every JVM.
 */
public final class PortableNormals {
  private final Philox4x64 words;

  /** The stream keyed by (seed, stream). */
  public PortableNormals(long seed, long stream) {
    words = new Philox4x64(new long[] {seed, stream, 0L, 0L, 0L, 0L});
  }

  /** u = ((w ≫ 11) + 1) · 2^−53 for the next word w. */
  private double u() {
    return ((words.nextLong() >>> 11) + 1) * 0x1.0p-53;
  }

  /** The next n normals, consuming ⌈n/2⌉ whole pairs. */
  public double[] next(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be at least 0, got " + n);
    }
    double[] z = new double[n];
    for (int k = 0; 2 * k < n; k++) {
      double r = StrictMath.sqrt(-2.0 * StrictMath.log(u()));
      double theta = 2.0 * Math.PI * u();
      z[2 * k] = r * StrictMath.cos(theta);
      if (2 * k + 1 < n) {
        z[2 * k + 1] = r * StrictMath.sin(theta);
      }
    }
    return z;
  }
}
