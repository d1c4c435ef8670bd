package org.diffusiontck.reference.oracle;

/**
 * Exact distances between two laws of independent Gaussian coordinates, p = N(m, diag(v)) (a
 * sampler's output) and q = N(μ, diag(s²)) (the data), per coordinate then combined
 * ({@code spec/derivations/sampler-law.md}, §4). For one coordinate:
 *
 * <pre>
 *   KL(p ‖ q)  = ½ (v/s² + (m − μ)²/s² − 1 − ln(v/s²))                       (nats)
 *   W2²(p, q)  = (m − μ)² + (√v − s)²                        (Gaussians: Dowson &amp; Landau 1982)
 *   BC(p, q)   = √(2 √v s / (v + s²)) · exp(−(m − μ)² / (4 (v + s²)))     (Bhattacharyya)
 * </pre>
 *
 * Over D independent coordinates KL and W2² add, and BC multiplies. With the squared Hellinger
 * distance H² = 1 − BC (in [0, 1]), Le Cam's inequalities bound the total variation of the whole
 * D-dimensional laws: H² ≤ TV ≤ √(1 − BC²).
 *
 * <p>Point masses (variance 0): two equal point masses are at distance 0 (KL 0, BC 1); a point
 * mass against anything else is singular to it: KL = +∞ in both directions and BC = 0 (TV = 1),
 * while W2 stays finite.
 *
 * <p>Derivation: {@code spec/derivations/sampler-law.md} §4.
 * Its "In the code" table names this class's methods.
 *
 * @param klPQ KL(p ‖ q) / D, in nats per dimension (+∞ where some coordinate is singular)
 * @param klQP KL(q ‖ p) / D, in nats per dimension
 * @param w2 √(W2²(p, q) / D), the 2-Wasserstein distance per dimension (root mean square over
 *     the coordinates), in the data's units
 * @param tvLower H² = 1 − ∏ BC_i, a lower bound on TV(p, q)
 * @param tvUpper √(1 − ∏ BC_i²), an upper bound on TV(p, q)
 */
public record LawDistance(double klPQ, double klQP, double w2, double tvLower, double tvUpper) {

  /** The distances between p (e.g. a sampler's output) and q (e.g. the data), same D. */
  public static LawDistance between(IndependentGaussian p, IndependentGaussian q) {
    int D = p.dimension();
    if (q.dimension() != D) {
      throw new IllegalArgumentException("p and q must have the same number of coordinates, got "
          + D + " and " + q.dimension());
    }
    double klPQ = 0.0;
    double klQP = 0.0;
    double w2Squared = 0.0;
    double logBc = 0.0;
    for (int i = 0; i < D; i++) {
      double m = p.mean(i);
      double v = p.variance(i);
      double mu = q.mean(i);
      double sSquared = q.variance(i);
      klPQ += kl(m, v, mu, sSquared);
      klQP += kl(mu, sSquared, m, v);
      double rootDifference = Math.sqrt(v) - Math.sqrt(sSquared);
      w2Squared += (m - mu) * (m - mu) + rootDifference * rootDifference;
      logBc += logBhattacharyya(m, v, mu, sSquared);
    }
    return new LawDistance(klPQ / D, klQP / D, Math.sqrt(w2Squared / D),
        0.0 - Math.expm1(logBc), Math.sqrt(0.0 - Math.expm1(2.0 * logBc)));
  }

  /**
   * KL(N(m1, v1) ‖ N(m2, v2)) for one coordinate, ½ ((r − 1) − ln r + (m1 − m2)²/v2) with r =
   * v1/v2, the first two terms as x − log1p(x), x = (v1 − v2)/v2, so that r near 1 loses no
   * digits; 0 for equal point masses, +∞ where one is a point mass and the laws differ.
   */
  static double kl(double m1, double v1, double m2, double v2) {
    if (v1 == 0.0 || v2 == 0.0) {
      return v1 == v2 && m1 == m2 ? 0.0 : Double.POSITIVE_INFINITY;
    }
    double x = (v1 - v2) / v2;
    double dm = m1 - m2;
    return 0.5 * ((x - Math.log1p(x)) + dm * dm / v2);
  }

  /**
   * ln BC(N(m1, v1), N(m2, v2)) = ½ ln(2 √(v1 v2)/(v1 + v2)) − (m1 − m2)²/(4 (v1 + v2)), the
   * first term as ½ log1p(−(√v1 − √v2)²/(v1 + v2)) (the same number: 1 − 2ab/(a² + b²) = (a −
   * b)²/(a² + b²)), exact near v1 = v2; 0 for equal point masses, −∞ where one is a point mass
   * and the laws differ.
   */
  static double logBhattacharyya(double m1, double v1, double m2, double v2) {
    if (v1 == 0.0 || v2 == 0.0) {
      return v1 == v2 && m1 == m2 ? 0.0 : Double.NEGATIVE_INFINITY;
    }
    double dm = m1 - m2;
    double rootDifference = Math.sqrt(v1) - Math.sqrt(v2);
    return 0.5 * Math.log1p(-rootDifference * rootDifference / (v1 + v2))
        - dm * dm / (4.0 * (v1 + v2));
  }
}
