package org.diffusiontck.reference;

import java.util.function.IntToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Coefficients that depend on the timestep, one per batch element, applied to tensors [B, …]: the
 * kit's timestep is per batch element ({@code spec/CONVENTIONS.md}, "Shapes").
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
    return Broadcast.mul(x, Nd4j.createFromArray(c), x.ulike(), 0);
  }

  /** A new tensor of the shape of {@code like} holding c_b in every coordinate of element b. */
  public static INDArray fill(double[] c, INDArray like) {
    return Broadcast.add(Nd4j.zeros(like.dataType(), like.shape()), Nd4j.createFromArray(c),
        like.ulike(), 0);
  }

  /** a_b · x[b] + c_b · y[b] for each batch element b. */
  public static INDArray combine(double[] a, INDArray x, double[] c, INDArray y) {
    return scale(a, x).addi(scale(c, y));
  }
}
