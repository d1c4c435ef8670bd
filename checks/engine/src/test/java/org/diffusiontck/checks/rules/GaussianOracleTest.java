package org.diffusiontck.checks.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.analysis.UnivariateFunction;
import org.diffusiontck.checks.impl.Prediction;
import org.junit.jupiter.api.Test;

class GaussianOracleTest {
  private static final GaussianOracle ORACLE =
      new GaussianOracle(new double[] {0.3, -0.5}, new double[] {0.5, 0.2});

  /**
   * E[x_0 | x_t], Var[x_0 | x_t] and E[ε | x_t] by Bayes' rule and quadrature (prior N(μ, s²) on
   * x_0, likelihood x_t | x_0 ~ N(√a x_0, 1 − a), ε = (x_t − √a x_0)/√(1 − a)), over μ ± 14 s in
   * pieces of s/40: ratios of integrals of smooth integrands, within 1e-12.
   */
  @Test
  void predictionsAreBayesRule() {
    for (double a : new double[] {0.999, 0.5, 0.01}) {
      for (int i = 0; i < 2; i++) {
        double mu = ORACLE.mu()[i];
        double s = ORACLE.sd()[i];
        for (double xt : new double[] {-1.3, 0.2, 2.0}) {
          UnivariateFunction joint = x -> Math.exp(-0.5 * ((x - mu) * (x - mu) / (s * s)
              + (xt - Math.sqrt(a) * x) * (xt - Math.sqrt(a) * x) / (1 - a)));
          double lo = mu - 14 * s;
          double hi = mu + 14 * s;
          double z = Quadrature.integrate(joint, lo, hi, s / 40);
          double m1 = Quadrature.integrate(x -> x * joint.value(x), lo, hi, s / 40) / z;
          double m2 = Quadrature.integrate(x -> x * x * joint.value(x), lo, hi, s / 40) / z;
          String what = "a = " + a + ", i = " + i + ", x_t = " + xt;
          assertThat(ORACLE.x0(i, xt, a, 1 - a)).as(what).isCloseTo(m1, within(1e-12));
          assertThat(ORACLE.x0Variance(i, a, 1 - a)).as(what)
              .isCloseTo(m2 - m1 * m1, within(1e-12));
          assertThat(ORACLE.epsilon(i, xt, a, 1 - a)).as(what)
              .isCloseTo((xt - Math.sqrt(a) * m1) / Math.sqrt(1 - a), within(1e-10));
          assertThat(ORACLE.output(Prediction.EPSILON, i, xt, a, 1 - a))
              .isEqualTo(ORACLE.epsilon(i, xt, a, 1 - a));
        }
      }
    }
  }
}
