package org.diffusiontck.reference.elbo;

import org.diffusiontck.reference.Require;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) between diagonal Gaussians in closed form, from means and
 * log-variances: the "Rao-Blackwellized" KL terms of the bound (Ho et al. 2020, §3, below eq. 5;
 * improved-diffusion's {@code normal_kl}):
 *
 * <pre>
 *   KL = ½ (−1 + log σ₂² − log σ₁² + exp(log σ₁² − log σ₂²) + (μ₁ − μ₂)² exp(−log σ₂²))
 * </pre>
 *
 * <p>Derivation: {@code spec/derivations/kl.md} §1–§2.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class GaussianKl {
  private GaussianKl() {}

  /** The KL per coordinate, in nats; all four tensors of one shape [B, …]. */
  public static INDArray elementwise(
      INDArray mean1, INDArray logVariance1, INDArray mean2, INDArray logVariance2) {
    Require.sameShape("mean1", mean1, "logVariance1", logVariance1);
    Require.sameShape("mean1", mean1, "mean2", mean2);
    Require.sameShape("mean1", mean1, "logVariance2", logVariance2);
    INDArray squaredDistance = mean1.sub(mean2);
    squaredDistance.muli(squaredDistance).muli(Transforms.exp(logVariance2.neg(), false));
    return logVariance2.sub(logVariance1)
        .addi(Transforms.exp(logVariance1.sub(logVariance2), false))
        .addi(squaredDistance)
        .subi(1.0)
        .muli(0.5);
  }

  /** The KL of each batch element: {@link #elementwise} summed over its non-batch coordinates. */
  public static double[] perSample(
      INDArray mean1, INDArray logVariance1, INDArray mean2, INDArray logVariance2) {
    return sumPerSample(elementwise(mean1, logVariance1, mean2, logVariance2));
  }

  /** Σ over the non-batch coordinates of x [B, …], one sum per batch element. */
  static double[] sumPerSample(INDArray x) {
    long b = x.size(0);
    return x.reshape('c', b, x.length() / b).sum(1).toDoubleVector();
  }
}
