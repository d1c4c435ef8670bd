package org.diffusiontck.reference;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * N(mean, diag(variance)): a Gaussian with independent coordinates, mean and variance of the same
 * shape [B, …].
 */
public record DiagonalGaussian(INDArray mean, INDArray variance) {
  public DiagonalGaussian {
    Require.sameShape("mean", mean, "variance", variance);
  }

  /**
   * The reparameterized sample mean + √variance · noise, for explicit standard-normal noise. One
   * new array (the square root) takes the product and then the sum in place.
   */
  public INDArray sample(INDArray noise) {
    Require.sameShape("mean", mean, "noise", noise);
    return Transforms.sqrt(variance, true).muli(noise).addi(mean);
  }
}
