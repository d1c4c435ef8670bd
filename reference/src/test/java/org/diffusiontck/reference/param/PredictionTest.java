package org.diffusiontck.reference.param;

import static org.assertj.core.api.Assertions.assertThat;
import static org.diffusiontck.reference.param.ParameterizationTest.EPS;
import static org.diffusiontck.reference.param.ParameterizationTest.V;
import static org.diffusiontck.reference.param.ParameterizationTest.X0;
import static org.diffusiontck.reference.param.ParameterizationTest.XT;
import static org.diffusiontck.reference.param.ParameterizationTest.assertClose;

import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Each prediction type read as x̂_0 and as ε̂, on the hand quadruple of ParameterizationTest. */
class PredictionTest {
  /** As in ParameterizationTest: two terms of magnitude ≤ 5, each within 8u: 1e-14. */
  private static final double TOL = 1e-14;
  private static final Parameterization P =
      new Parameterization(Schedules.fromBetas(0.36, 0.4375, 0.75));
  private static final int[] T = {1, 2};

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @Test
  void eachPredictionReadAsX0AndAsEps() {
    assertClose(Prediction.EPSILON.toX0(P, XT, T, EPS), X0, TOL);
    assertClose(Prediction.V.toX0(P, XT, T, V), X0, TOL);
    assertClose(Prediction.X0.toEps(P, XT, T, X0), EPS, TOL);
    assertClose(Prediction.V.toEps(P, XT, T, V), EPS, TOL);
    INDArray x0 = Prediction.X0.toX0(P, XT, T, X0);
    INDArray eps = Prediction.EPSILON.toEps(P, XT, T, EPS);
    assertClose(x0, X0, 0);
    assertClose(eps, EPS, 0);
    assertThat(x0).as("a copy").isNotSameAs(X0);
    assertThat(eps).as("a copy").isNotSameAs(EPS);
  }
}
