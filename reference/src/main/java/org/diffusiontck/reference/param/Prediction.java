package org.diffusiontck.reference.param;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a network's output means: ε, x_0 or v (Salimans &amp; Ho 2022).
 *
 * <p>Derivation: {@code spec/derivations/parameterizations.md} §2;
 * {@code spec/derivations/ddpm.md} §5.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public enum Prediction {
  EPSILON,
  X0,
  V;

  /** x̂_0 from the model output under this parameterization. */
  public INDArray toX0(Parameterization p, INDArray xt, int[] t, INDArray output) {
    return switch (this) {
      case EPSILON -> p.x0FromEps(xt, t, output);
      case X0 -> output.dup();
      case V -> p.x0FromV(xt, t, output);
    };
  }

  /** ε̂ from the model output under this parameterization. */
  public INDArray toEps(Parameterization p, INDArray xt, int[] t, INDArray output) {
    return switch (this) {
      case EPSILON -> output.dup();
      case X0 -> p.epsFromX0(xt, t, output);
      case V -> p.epsFromV(xt, t, output);
    };
  }
}
