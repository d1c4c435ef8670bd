package org.diffusiontck.checks.reference;

import org.diffusiontck.checks.impl.Quantity;
import org.diffusiontck.reference.param.Parameterization;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Routes a {@link Quantity} → {@link Quantity} request to the reference's conversions: directly
 * where the reference has the method (x_0 ↔ v and everything to or from ε), else through ε.
 */
final class Conversions {
  private Conversions() {}

  static INDArray convert(
      Parameterization p, Quantity from, Quantity to, INDArray xt, int[] t, INDArray value) {
    if (from == to) {
      return value.dup();
    }
    if (from == Quantity.X0 && to == Quantity.V) {
      return p.vFromX0(xt, t, value);
    }
    if (from == Quantity.V && to == Quantity.X0) {
      return p.x0FromV(xt, t, value);
    }
    INDArray eps = switch (from) {
      case EPSILON -> value;
      case X0 -> p.epsFromX0(xt, t, value);
      case V -> p.epsFromV(xt, t, value);
      case SCORE -> p.epsFromScore(xt, t, value);
    };
    return switch (to) {
      case EPSILON -> eps.dup();
      case X0 -> p.x0FromEps(xt, t, eps);
      case V -> p.vFromEps(xt, t, eps);
      case SCORE -> p.scoreFromEps(xt, t, eps);
    };
  }
}
