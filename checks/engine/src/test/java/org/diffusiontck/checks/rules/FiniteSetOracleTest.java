package org.diffusiontck.checks.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.diffusiontck.checks.impl.Prediction;
import org.junit.jupiter.api.Test;

/**
 * The finite-set oracle against independent routes: Bayes' rule with unshifted exponentials, the
 * Jacobian √ᾱ Cov_w(p)/(1 − ᾱ) against central differences, and the bound on tr Cov_w over a ball
 * that LOOP-7's carried tolerance rests on (spec/derivations/loops.md §9).
 */
class FiniteSetOracleTest {
  private static final FiniteSetOracle SET = new FiniteSetOracle(
      new double[][] {{0.7, -0.2}, {-0.5, 0.4}, {0.1, 0.9}});
  private static final double AB = 0.6;

  @Test
  void weightsAreBayesRule() {
    double[] x = {0.3, 0.1};
    double[] w = SET.weights(x, AB, 1 - AB);
    double[] lik = new double[3];
    double sum = 0;
    for (int i = 0; i < 3; i++) {
      double[] p = SET.points()[i];
      double d2 = Math.pow(x[0] - Math.sqrt(AB) * p[0], 2) + Math.pow(x[1] - Math.sqrt(AB) * p[1], 2);
      lik[i] = Math.exp(-d2 / (2 * (1 - AB))) / (2 * Math.PI * (1 - AB));
      sum += lik[i];
    }
    for (int i = 0; i < 3; i++) {
      assertThat(w[i]).isCloseTo(lik[i] / sum, within(1e-15));
    }
  }

  @Test
  void outputsDescribeTheSameX0() {
    double[] x = {0.3, 0.1, -1.2, 0.4};
    double a = Math.sqrt(AB);
    double b = Math.sqrt(1 - AB);
    double[] eps = SET.output(Prediction.EPSILON, x, AB, 1 - AB);
    double[] v = SET.output(Prediction.V, x, AB, 1 - AB);
    double[] x0 = SET.output(Prediction.X0, x, AB, 1 - AB);
    for (int i = 0; i < x.length; i++) {
      assertThat((x[i] - b * eps[i]) / a).isCloseTo(x0[i], within(1e-14));
      assertThat(a * x[i] - b * v[i]).isCloseTo(x0[i], within(1e-14)); // x0 = a x − b v
    }
  }

  @Test
  void jacobianIsTheScaledPosteriorCovariance() {
    double[] x = {0.3, 0.1};
    double[] w = SET.weights(x, AB, 1 - AB);
    double[] m = SET.x0(x, AB, 1 - AB);
    double h = 1e-6;
    for (int j = 0; j < 2; j++) {
      double[] up = x.clone();
      double[] down = x.clone();
      up[j] += h;
      down[j] -= h;
      double[] fu = SET.x0(up, AB, 1 - AB);
      double[] fd = SET.x0(down, AB, 1 - AB);
      for (int r = 0; r < 2; r++) {
        double cov = 0;
        for (int i = 0; i < 3; i++) {
          cov += w[i] * (SET.points()[i][r] - m[r]) * (SET.points()[i][j] - m[j]);
        }
        assertThat((fu[r] - fd[r]) / (2 * h))
            .isCloseTo(Math.sqrt(AB) * cov / (1 - AB), within(1e-8));
      }
    }
  }

  @Test
  void theStepMovesByAtMostItsGainOverTheBall() {
    SplittableRandom r = new SplittableRandom(7);
    double c0 = 0.4;
    double c1 = 0.8;
    for (int n = 0; n < 2000; n++) {
      double ab = 0.05 + 0.9 * r.nextDouble();
      double[] x = {-1.5 + 3 * r.nextDouble(), -1.5 + 3 * r.nextDouble()};
      double E = Math.pow(10, -4 * r.nextDouble()) * (1 - ab) / (Math.sqrt(ab) * SET.diameter());
      double a = Math.sqrt(ab) * SET.diameter() * E / (1 - ab); // in (1e-4, 1]
      double angle = 2 * Math.PI * r.nextDouble();
      double radius = E * r.nextDouble();
      double[] y = {x[0] + radius * Math.cos(angle), x[1] + radius * Math.sin(angle)};
      double trX = SET.traceCovariance(x, ab, 1 - ab);
      assertThat(SET.traceCovariance(y, ab, 1 - ab)).isLessThanOrEqualTo(Math.exp(a) * trX
          * (1 + 1e-12) + 1e-300);
      double gain = c1 + c0 * Math.sqrt(ab) * Math.exp(a) * trX / (1 - ab);
      double[] fx = SET.x0(x, ab, 1 - ab);
      double[] fy = SET.x0(y, ab, 1 - ab);
      double moved = Math.hypot(c0 * (fy[0] - fx[0]) + c1 * (y[0] - x[0]),
          c0 * (fy[1] - fx[1]) + c1 * (y[1] - x[1]));
      assertThat(moved).isLessThanOrEqualTo(gain * radius * (1 + 1e-9) + 1e-15);
    }
  }
}
