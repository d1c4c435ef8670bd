package org.diffusiontck.reference.elbo;

import org.diffusiontck.reference.Require;

/**
 * The terms of the variational bound −log p_θ(x_0) ≤ L_T + Σ_{t=2}^{T} L_{t−1} + L_0 (Ho et al.
 * 2020, eq. 5) for each batch element, in nats.
 *
 * <p>Derivation: {@code spec/derivations/elbo.md} §2, §6.
 * Its "In the code" table names this class's methods and the rules that check them.
 *
 * @param prior L_T per batch element
 * @param terms {@code terms[t − 1]} is the term computed from x_t, per batch element: L_0 for t =
 *     1, L_{t−1} for t = 2..T
 * @param dimensions D, the number of coordinates of one batch element
 */
public record BoundTerms(double[] prior, double[][] terms, long dimensions) {
  public BoundTerms {
    if (prior == null || terms == null || terms.length == 0) {
      throw new IllegalArgumentException("prior and at least one term are required");
    }
    for (int i = 0; i < terms.length; i++) {
      if (terms[i] == null || terms[i].length != prior.length) {
        throw new IllegalArgumentException("terms[" + i + "] must hold one value per batch element ("
            + prior.length + ")");
      }
    }
    requireDimensions(dimensions);
  }

  /** T, the number of steps. */
  public int T() {
    return terms.length;
  }

  /** The term computed from x_t: L_0 (the decoder) for t = 1, L_{t−1} for t = 2..T. */
  public double[] term(int t) {
    Require.timestep("t", t, T());
    Require.atLeast("t", t, 1);
    return terms[t - 1].clone();
  }

  /** L_0 = −log p_θ(x_0 | x_1), the decoder term, per batch element. */
  public double[] decoder() {
    return term(1);
  }

  /** The whole bound L_T + Σ_{t=2}^{T} L_{t−1} + L_0 per batch element, in nats. */
  public double[] nats() {
    double[] total = prior.clone();
    for (double[] term : terms) {
      for (int b = 0; b < total.length; b++) {
        total[b] += term[b];
      }
    }
    return total;
  }

  /** The whole bound per batch element in bits per dimension. */
  public double[] bitsPerDimension() {
    double[] bits = nats();
    for (int b = 0; b < bits.length; b++) {
      bits[b] = bitsPerDimension(bits[b], dimensions);
    }
    return bits;
  }

  /** nats / (D ln 2): a negative log-likelihood in nats as bits per dimension. */
  public static double bitsPerDimension(double nats, long dimensions) {
    return nats / (requireDimensions(dimensions) * Math.log(2.0));
  }

  /** Fails unless D ≥ 1. */
  static long requireDimensions(long dimensions) {
    if (dimensions < 1) {
      throw new IllegalArgumentException("dimensions must be at least 1, got " + dimensions);
    }
    return dimensions;
  }
}
