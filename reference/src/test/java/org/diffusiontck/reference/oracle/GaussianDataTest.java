package org.diffusiontck.reference.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.ode.FirstOrderDifferentialEquations;
import org.apache.commons.math3.ode.nonstiff.DormandPrince853Integrator;
import org.diffusiontck.checks.rules.GaussianOracle;
import org.diffusiontck.checks.rules.Quadrature;
import org.diffusiontck.reference.DiagonalGaussian;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GaussianDataTest {
  private static final NoiseSchedule LINEAR = Schedules.linear(1000);
  private static final double[] MU = {0.5, -1.0, 2.0, 0.0};
  private static final double[] S = {1.0, 0.3, 2.0, 0.05};

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  private static GaussianData data(NoiseSchedule schedule, double[] mu, double[] s) {
    return new GaussianData(schedule, Nd4j.createFromArray(mu), Nd4j.createFromArray(s));
  }

  /** The values of x in C order (a copy; faster than ND4J's per-row accessors). */
  private static double[] flat(INDArray x) {
    return x.dup('c').data().asDouble();
  }

  private static int[] filled(int n, int t) {
    int[] out = new int[n];
    Arrays.fill(out, t);
    return out;
  }

  /**
   * E[u | obs] by Bayes' rule, for the prior u ~ N(m, r²) and the likelihood obs | u ~ N(o + c u,
   * ν²): ∫ u p(u) p(obs | u) du / ∫ p(u) p(obs | u) du over m ± 14 r (prior mass outside below
   * 1e-44), by the engine's composite 32-point Gauss–Legendre rule ({@link Quadrature}) on pieces
   * a quarter of the narrower factor's standard deviation wide. Constant factors of the densities
   * cancel in the ratio.
   */
  private static double posteriorMean(double m, double r, double o, double c, double nu,
      double obs) {
    double width = Math.min(r, c == 0.0 ? r : nu / Math.abs(c)) / 4.0;
    UnivariateFunction joint = u -> {
      double zPrior = (u - m) / r;
      double zLik = (obs - o - c * u) / nu;
      return Math.exp(-0.5 * (zPrior * zPrior + zLik * zLik));
    };
    double num = Quadrature.integrate(u -> u * joint.value(u), m - 14.0 * r, m + 14.0 * r, width);
    double den = Quadrature.integrate(joint, m - 14.0 * r, m + 14.0 * r, width);
    return num / den;
  }

  /**
   * The engine's Gaussian-data oracle ({@link GaussianOracle}, the route of the DDIM and ELBO
   * rules) is the same closed form in plain double, kept as a second copy because the engine may
   * not use the reference: the two agree on ε*, E[x_0 | x_t] and the probability-flow map. Both
   * take ᾱ_t from this schedule and evaluate the same few operations in another order: a few
   * roundings of values of size 1 + |x|, so 1e-13 (1 + |value|).
   */
  @Test
  void agreesWithTheEngineOracle() {
    GaussianData oracle = data(LINEAR, MU, S);
    GaussianOracle engine = new GaussianOracle(MU, S);
    double[] xt = {-2.5, 0.3, 1.7, -0.8};
    for (int t : new int[] {1, 2, 50, 500, 999, 1000}) {
      double a = LINEAR.alphaBar(t);
      double b = LINEAR.oneMinusAlphaBar(t);
      double[] eps = flat(oracle.predict(Nd4j.createFromArray(new double[][] {xt}), new int[] {t}));
      double[] x0 = flat(oracle.x0Mean(Nd4j.createFromArray(new double[][] {xt}), new int[] {t}));
      double[] flow = flat(oracle.probabilityFlow(Nd4j.createFromArray(new double[][] {xt}),
          new int[] {t}, new int[] {t / 2}));
      double[] to = {LINEAR.alphaBar(t / 2), LINEAR.oneMinusAlphaBar(t / 2)};
      for (int i = 0; i < MU.length; i++) {
        String what = "t = " + t + ", coordinate " + i;
        assertThat(engine.epsilon(i, xt[i], a, b)).as(what)
            .isCloseTo(eps[i], within(1e-13 * (1 + Math.abs(eps[i]))));
        assertThat(engine.x0(i, xt[i], a, b)).as(what)
            .isCloseTo(x0[i], within(1e-13 * (1 + Math.abs(x0[i]))));
        assertThat(engine.flow(i, xt[i], new double[] {a, b}, to)).as(what)
            .isCloseTo(flow[i], within(1e-13 * (1 + Math.abs(flow[i]))));
      }
    }
  }

  /**
   * ε* against Bayes' rule by numerical integration over ε: E[ε | x_t] = ∫ ε φ(ε) p(x_t | ε) dε /
   * ∫ φ(ε) p(x_t | ε) dε with x_t | ε ~ N(√a μ + √(1 − a) ε, a s²); and E[x_0 | x_t] likewise
   * over x_0 with x_t | x_0 ~ N(√a x_0, 1 − a). Grid: μ ∈ {−0.7, 1.3} × s ∈ {0.5, 1, 2} (one
   * coordinate each), t ∈ {1, 50, 250, 500, 900, 1000}, x_t ∈ {−2, 0.3, 1.7}.
   *
   * <p>Tolerance 1e-12: the panels are a quarter standard deviation wide, so the 8-point rule's
   * error is below 1e-15 relative; compensated summation adds ~2u; each term's exponent, at most
   * 25 in magnitude where the mass lies, carries ≤ 25 · 4u ≈ 1e-14 of rounding, a relative error
   * of the term. The ratio then errs by ≤ 2e-14 · (|E| + sd) ≤ 3e-13 with |E| + sd ≤ 15.
   */
  @Test
  void optimalPredictionsMatchBayesRuleByNumericalIntegration() {
    double[] mu = {-0.7, -0.7, -0.7, 1.3, 1.3, 1.3};
    double[] s = {0.5, 1.0, 2.0, 0.5, 1.0, 2.0};
    GaussianData oracle = data(LINEAR, mu, s);
    int[] steps = {1, 50, 250, 500, 900, 1000};
    double[] values = {-2.0, 0.3, 1.7};
    int[] t = new int[steps.length * values.length];
    double[][] xt = new double[t.length][mu.length];
    for (int b = 0; b < t.length; b++) {
      t[b] = steps[b / values.length];
      Arrays.fill(xt[b], values[b % values.length]);
    }
    INDArray x = Nd4j.createFromArray(xt);
    INDArray eps = oracle.predict(x, t);
    INDArray x0 = oracle.x0Mean(x, t);
    for (int b = 0; b < t.length; b++) {
      double a = LINEAR.alphaBar(t[b]);
      double oneMinusA = LINEAR.oneMinusAlphaBar(t[b]);
      for (int i = 0; i < mu.length; i++) {
        double expectedEps = posteriorMean(0.0, 1.0, Math.sqrt(a) * mu[i], Math.sqrt(oneMinusA),
            Math.sqrt(a) * s[i], xt[b][i]);
        double expectedX0 =
            posteriorMean(mu[i], s[i], 0.0, Math.sqrt(a), Math.sqrt(oneMinusA), xt[b][i]);
        assertThat(eps.getDouble(b, i)).as("eps*, t=%d i=%d", t[b], i)
            .isCloseTo(expectedEps, within(1e-12));
        assertThat(x0.getDouble(b, i)).as("E[x0|xt], t=%d i=%d", t[b], i)
            .isCloseTo(expectedX0, within(1e-12));
      }
    }
  }

  /**
   * s = 0: x_0 = μ surely, so x_t determines ε = (x_t − √a μ)/√(1 − a) and E[x_0 | x_t] = μ.
   * Tolerance: the two routes round differently, a few ulps of |x_t − √a μ| / √(1 − a) ≤ 300
   * (√(1 − ᾱ_1) = 0.01) → 1e-12.
   */
  @Test
  void pointMassCoordinateHasTheNoiseThatExplainsXt() {
    GaussianData oracle = data(LINEAR, new double[] {0.8, -0.4}, new double[] {0.0, 0.0});
    int[] t = {1, 10, 500, 1000};
    INDArray x = new PortableNoise(11).normal(4, 2);
    INDArray eps = oracle.predict(x, t);
    INDArray x0 = oracle.x0Mean(x, t);
    double[] mu = {0.8, -0.4};
    for (int b = 0; b < t.length; b++) {
      double a = LINEAR.alphaBar(t[b]);
      for (int i = 0; i < 2; i++) {
        double expected =
            (x.getDouble(b, i) - Math.sqrt(a) * mu[i]) / Math.sqrt(LINEAR.oneMinusAlphaBar(t[b]));
        assertThat(eps.getDouble(b, i)).isCloseTo(expected, within(1e-12));
        assertThat(x0.getDouble(b, i)).isEqualTo(mu[i]);
      }
    }
  }

  /** Draws x_t = √a x_0 + √(1 − a) ε with x_0 ~ N(μ, s²) and ε ~ N(0, 1): n rows of 4. */
  private record Draws(double[][] eps, double[][] xt) {
    static Draws at(int t, int n, long seed) {
      double a = LINEAR.alphaBar(t);
      double oneMinusA = LINEAR.oneMinusAlphaBar(t);
      PortableNoise dataNoise = new PortableNoise(seed, 1);
      PortableNoise epsNoise = new PortableNoise(seed, 2);
      double[][] eps = new double[n][];
      double[][] xt = new double[n][MU.length];
      for (int j = 0; j < n; j++) {
        double[] z = dataNoise.normals(MU.length);
        eps[j] = epsNoise.normals(MU.length);
        for (int i = 0; i < MU.length; i++) {
          xt[j][i] = Math.sqrt(a) * (MU[i] + S[i] * z[i]) + Math.sqrt(oneMinusA) * eps[j][i];
        }
      }
      return new Draws(eps, xt);
    }
  }

  private static final int[] MC_STEPS = {10, 300, 900};
  private static final int MC_N = 20_000;

  /**
   * Two-sided N(0, 1) bound for 24 statistics at a family false-alarm rate of 1e-6 (Bonferroni:
   * 1e-6/24 each): about 5.5.
   */
  private static final double Z_BOUND =
      new NormalDistribution().inverseCumulativeProbability(1.0 - 1e-6 / 24 / 2);

  /**
   * The orthogonality principle, by Monte Carlo: r = ε − ε*(x_t) is uncorrelated with every
   * function of x_t; checked for g = 1 and g = x_t, per coordinate, at three t, with n = 20 000
   * draws of portable noise (seed 2024). If ε* is right, r is Gaussian with variance σ_r² =
   * Var[ε | x_t] = a s² / (a s² + 1 − a) and independent of x_t, so Σ r_j / (σ_r √n) and Σ r_j
   * x_j / (σ_r √(Σ x_j²)) are exactly N(0, 1) (the second conditionally on the x_j); 24 such
   * statistics stay within {@link #Z_BOUND} with probability ≥ 1 − 1e-6. A prediction 10% too
   * large must break the bound (the test has power).
   */
  @Test
  void residualIsOrthogonalToFunctionsOfXt() {
    GaussianData oracle = data(LINEAR, MU, S);
    double worstRight = 0.0;
    double worstWrong = 0.0;
    for (int t : MC_STEPS) {
      Draws d = Draws.at(t, MC_N, 2024);
      double[] epsStar = flat(oracle.predict(Nd4j.createFromArray(d.xt()), filled(MC_N, t)));
      double a = LINEAR.alphaBar(t);
      for (int i = 0; i < MU.length; i++) {
        double sigmaR = Math.sqrt(a * S[i] * S[i] / (a * S[i] * S[i] + LINEAR.oneMinusAlphaBar(t)));
        for (double scale : new double[] {1.0, 1.1}) {
          double sumR = 0.0;
          double sumRx = 0.0;
          double sumXx = 0.0;
          for (int j = 0; j < MC_N; j++) {
            double r = d.eps()[j][i] - scale * epsStar[j * MU.length + i];
            sumR += r;
            sumRx += r * d.xt()[j][i];
            sumXx += d.xt()[j][i] * d.xt()[j][i];
          }
          double z = Math.max(Math.abs(sumR / (sigmaR * Math.sqrt(MC_N))),
              Math.abs(sumRx / (sigmaR * Math.sqrt(sumXx))));
          if (scale == 1.0) {
            worstRight = Math.max(worstRight, z);
          } else {
            worstWrong = Math.max(worstWrong, z);
          }
        }
      }
    }
    assertThat(worstRight).as("|z| of the optimal prediction").isLessThan(Z_BOUND);
    assertThat(worstWrong).as("|z| of a prediction 10%% too large").isGreaterThan(Z_BOUND);
  }

  /**
   * The marginal's moments against forward sampling (same draws as above): x_t is Gaussian, so
   * (x̄ − m)/√(V/n) is exactly N(0, 1) and (n − 1) S²/V exactly χ²(n − 1); 24 statistics within
   * two-sided Bonferroni bounds at a family false-alarm rate of 1e-6.
   */
  @Test
  void marginalHasTheMomentsOfForwardSamples() {
    GaussianData oracle = data(LINEAR, MU, S);
    ChiSquaredDistribution chi2 = new ChiSquaredDistribution(MC_N - 1);
    double chiLo = chi2.inverseCumulativeProbability(1e-6 / 24 / 2);
    double chiHi = chi2.inverseCumulativeProbability(1.0 - 1e-6 / 24 / 2);
    DiagonalGaussian q = oracle.marginal(MC_STEPS);
    assertThat(q.mean().shape()).containsExactly(3, 4);
    for (int k = 0; k < MC_STEPS.length; k++) {
      Draws d = Draws.at(MC_STEPS[k], MC_N, 2024);
      for (int i = 0; i < MU.length; i++) {
        double mean = 0.0;
        for (double[] row : d.xt()) {
          mean += row[i] / MC_N;
        }
        double ss = 0.0;
        for (double[] row : d.xt()) {
          ss += (row[i] - mean) * (row[i] - mean);
        }
        double m = q.mean().getDouble(k, i);
        double v = q.variance().getDouble(k, i);
        assertThat(Math.abs(mean - m) / Math.sqrt(v / MC_N)).isLessThan(Z_BOUND);
        assertThat(ss / v).isBetween(chiLo, chiHi);
      }
    }
  }

  /** At t = 0 the marginal is the data N(μ, s²) exactly; under zero terminal SNR, N(0, 1) at T. */
  @Test
  void marginalAtTheEndsIsTheDataAndTheStandardNormal() {
    NoiseSchedule ztsnr = Schedules.zeroTerminalSnr(LINEAR);
    DiagonalGaussian q = data(ztsnr, MU, S).marginal(new int[] {0, 1000});
    for (int i = 0; i < MU.length; i++) {
      assertThat(q.mean().getDouble(0, i)).isEqualTo(MU[i]);
      assertThat(q.variance().getDouble(0, i)).isEqualTo(S[i] * S[i]);
      assertThat(q.mean().getDouble(1, i)).isEqualTo(0.0);
      assertThat(q.variance().getDouble(1, i)).isEqualTo(1.0);
    }
  }

  /**
   * Under zero terminal SNR (ᾱ_T = 0) the optimal noise at T is x_T itself and E[x_0 | x_T] = μ:
   * x_T carries no information about x_0. Exact: √1 · (x − 0·μ) / (0·s² + 1) = x.
   */
  @Test
  void zeroTerminalSnrPredictsXtAtT() {
    GaussianData oracle = data(Schedules.zeroTerminalSnr(LINEAR), MU, S);
    INDArray x = new PortableNoise(5).normal(2, 4);
    assertThat(oracle.predict(x, new int[] {1000, 1000})).isEqualTo(x);
    INDArray x0 = oracle.x0Mean(x, new int[] {1000, 1000});
    for (int i = 0; i < MU.length; i++) {
      assertThat(x0.getDouble(1, i)).isEqualTo(MU[i]);
    }
  }

  /**
   * The log-likelihood against Commons Math's normal log-density summed over coordinates, and
   * bits/dim = −log p / (D ln 2) against ½ log₂(2π s²) at x_0 = μ for one coordinate. Tolerance:
   * 4 terms of magnitude ≤ 10 carry a few ulps each → 1e-13.
   */
  @Test
  void logLikelihoodIsTheSumOfNormalLogDensities() {
    GaussianData oracle = data(LINEAR, MU, S);
    INDArray x0 = new PortableNoise(7).normal(3, 4);
    double[] logLikelihood = oracle.logLikelihood(x0);
    double[] bits = oracle.bitsPerDim(x0);
    for (int b = 0; b < 3; b++) {
      double expected = 0.0;
      for (int i = 0; i < MU.length; i++) {
        expected += new NormalDistribution(MU[i], S[i]).logDensity(x0.getDouble(b, i));
      }
      assertThat(logLikelihood[b]).isCloseTo(expected, within(1e-13));
      assertThat(bits[b]).isCloseTo(-expected / (4 * Math.log(2.0)), within(1e-13));
    }
    double[] single = data(LINEAR, new double[] {0.25}, new double[] {3.0})
        .bitsPerDim(Nd4j.createFromArray(new double[][] {{0.25}}));
    assertThat(single[0]).isCloseTo(0.5 * Math.log(2 * Math.PI * 9.0) / Math.log(2.0),
        within(1e-15));
  }

  @Test
  void logLikelihoodOfAPointMassIsRejected() {
    GaussianData oracle = data(LINEAR, new double[] {0.0, 1.0}, new double[] {1.0, 0.0});
    assertThatThrownBy(() -> oracle.logLikelihood(Nd4j.createFromArray(new double[][] {{0, 1}})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s coordinate 1");
  }

  /**
   * The probability-flow map against the probability-flow ODE integrated numerically: in x̄ =
   * x/√ᾱ and σ̄ = √((1 − ᾱ)/ᾱ), dx̄/dσ̄ = E[ε | x̄] = σ̄ (x̄ − μ)/(s² + σ̄²) (Song et al. 2021, eq.
   * 14), solved by Dormand–Prince 8(5,3) from σ̄_t to σ̄_s, forwards and backwards in time.
   *
   * <p>Tolerance 1e-10: the integrator holds each step's local error under 1e-15 relative, and
   * each step adds a few ulps of rounding; over at most 200 steps (these runs take ≤ 2 200
   * evaluations, 12 per step) that is ≤ 200 · 1.5e-15 · |x̄| with |x̄| ≤ 210 (x_t/√ᾱ_t at t =
   * 1000) ≈ 6e-11 in x̄, and x_s = √ᾱ_s x̄ only scales it down.
   */
  @Test
  void probabilityFlowSolvesTheOde() {
    GaussianData oracle = data(LINEAR, MU, S);
    int[] t = {1000, 900, 700, 200, 1, 500, 0};
    int[] s = {0, 0, 200, 700, 0, 499, 600};
    INDArray xt = new PortableNoise(3).normal(t.length, 4);
    INDArray xs = oracle.probabilityFlow(xt, t, s);
    DormandPrince853Integrator ode = new DormandPrince853Integrator(1e-12, 100.0, 1e-15, 1e-15);
    for (int b = 0; b < t.length; b++) {
      for (int i = 0; i < MU.length; i++) {
        double mu = MU[i];
        double s2 = S[i] * S[i];
        FirstOrderDifferentialEquations flow = new FirstOrderDifferentialEquations() {
          @Override
          public int getDimension() {
            return 1;
          }

          @Override
          public void computeDerivatives(double sigmaBar, double[] xBar, double[] dxBar) {
            dxBar[0] = sigmaBar * (xBar[0] - mu) / (s2 + sigmaBar * sigmaBar);
          }
        };
        double[] xBar = {xt.getDouble(b, i) / Math.sqrt(LINEAR.alphaBar(t[b]))};
        ode.integrate(flow, sigmaBar(t[b]), xBar, sigmaBar(s[b]), xBar);
        assertThat(xs.getDouble(b, i)).as("t=%d s=%d i=%d", t[b], s[b], i)
            .isCloseTo(Math.sqrt(LINEAR.alphaBar(s[b])) * xBar[0], within(1e-10));
      }
    }
  }

  private static double sigmaBar(int t) {
    return Math.sqrt(LINEAR.oneMinusAlphaBar(t) / LINEAR.alphaBar(t));
  }

  /**
   * Identity at s = t, and composition t → u → s equal to t → s, on a batch with a timestep per
   * element. Tolerance: each map is a handful of roundings on values ≤ 10 → 1e-13.
   */
  @Test
  void probabilityFlowIsIdentityAtSameTimeAndComposes() {
    GaussianData oracle = data(LINEAR, MU, S);
    int[] t = {1000, 700, 50, 1, 300};
    int[] u = {400, 900, 10, 600, 300};
    int[] s = {0, 100, 999, 0, 2};
    INDArray xt = new PortableNoise(9).normal(t.length, 4);
    assertThat(close(oracle.probabilityFlow(xt, t, t), xt, 1e-13)).isTrue();
    INDArray direct = oracle.probabilityFlow(xt, t, s);
    INDArray twoSteps = oracle.probabilityFlow(oracle.probabilityFlow(xt, t, u), u, s);
    assertThat(close(direct, twoSteps, 1e-13)).isTrue();
  }

  private static boolean close(INDArray x, INDArray y, double tolerance) {
    return Arrays.equals(x.shape(), y.shape())
        && x.sub(y).amaxNumber().doubleValue() <= tolerance;
  }

  /**
   * The map pushes q(x_t) to q(x_s): x_t drawn by forward sampling (n = 20 000, seed 2024) and
   * mapped from t = 900 to s = 0 and from t = 10 to s = 300 have, per coordinate, sample means and
   * variances within the N(0, 1) and χ²(n − 1) bounds (Bonferroni over 16 statistics, family
   * false-alarm rate 1e-6) of q(x_s), whose moments are √ᾱ_s μ and ᾱ_s s² + 1 − ᾱ_s.
   */
  @Test
  void probabilityFlowPushesMarginalToMarginal() {
    GaussianData oracle = data(LINEAR, MU, S);
    double alpha = 1e-6 / 16 / 2;
    double z = new NormalDistribution().inverseCumulativeProbability(1.0 - alpha);
    ChiSquaredDistribution chi2 = new ChiSquaredDistribution(MC_N - 1);
    int[][] pairs = {{900, 0}, {10, 300}};
    for (int[] pair : pairs) {
      Draws d = Draws.at(pair[0], MC_N, 2024);
      double[] xs = flat(oracle.probabilityFlow(Nd4j.createFromArray(d.xt()),
          filled(MC_N, pair[0]), filled(MC_N, pair[1])));
      double a = LINEAR.alphaBar(pair[1]);
      for (int i = 0; i < MU.length; i++) {
        double m = Math.sqrt(a) * MU[i];
        double v = a * S[i] * S[i] + LINEAR.oneMinusAlphaBar(pair[1]);
        double mean = 0.0;
        for (int j = 0; j < MC_N; j++) {
          mean += xs[j * MU.length + i] / MC_N;
        }
        double ss = 0.0;
        for (int j = 0; j < MC_N; j++) {
          ss += (xs[j * MU.length + i] - mean) * (xs[j * MU.length + i] - mean);
        }
        assertThat(Math.abs(mean - m) / Math.sqrt(v / MC_N)).isLessThan(z);
        assertThat(ss / v).isBetween(chi2.inverseCumulativeProbability(alpha),
            chi2.inverseCumulativeProbability(1.0 - alpha));
      }
    }
  }

  /**
   * Zero terminal SNR: from x_T (ᾱ_T = 0, V_T = 1) the flow lands on x_0 = μ + s x_T, and on μ
   * for a point-mass coordinate. Tolerance: two roundings on values ≤ 10 → 1e-14.
   */
  @Test
  void probabilityFlowFromZeroTerminalSnr() {
    double[] mu = {0.5, -1.0, 2.0};
    double[] s = {1.0, 0.3, 0.0};
    GaussianData oracle = data(Schedules.zeroTerminalSnr(LINEAR), mu, s);
    INDArray xT = new PortableNoise(13).normal(3, 3);
    INDArray x0 = oracle.probabilityFlow(xT, new int[] {1000, 1000, 1000}, new int[] {0, 0, 0});
    for (int b = 0; b < 3; b++) {
      for (int i = 0; i < 3; i++) {
        assertThat(x0.getDouble(b, i)).isCloseTo(mu[i] + s[i] * xT.getDouble(b, i),
            within(1e-14));
      }
    }
  }

  @Test
  void probabilityFlowFromAPointMassAtTimeZeroIsRejected() {
    GaussianData oracle = data(LINEAR, new double[] {0.5, 1.0}, new double[] {1.0, 0.0});
    INDArray x0 = Nd4j.createFromArray(new double[][] {{0.5, 1.0}});
    assertThatThrownBy(() -> oracle.probabilityFlow(x0, new int[] {0}, new int[] {10}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("coordinate 1")
        .hasMessageContaining("t = 0");
  }

  /**
   * Per-batch timesteps and any trailing shape: a [3, 2, 2, 2] batch with three different t
   * gives, coordinate for coordinate, what each element gives alone; the C-order layout of μ and s
   * is kept (checked against the closed form at coordinate (1, 0, 1)); the input is untouched.
   */
  @Test
  void batchedTimestepsAndTrailingShape() {
    double[] muValues = new double[8];
    double[] sValues = new double[8];
    for (int i = 0; i < 8; i++) {
      muValues[i] = 0.25 * i - 1.0;
      sValues[i] = 0.1 + 0.2 * i;
    }
    GaussianData oracle = new GaussianData(LINEAR, Nd4j.createFromArray(muValues).reshape(2, 2, 2),
        Nd4j.createFromArray(sValues).reshape(2, 2, 2));
    assertThat(oracle.prediction()).isEqualTo(Prediction.EPSILON);
    INDArray xt = new PortableNoise(17).normal(3, 2, 2, 2);
    INDArray copy = xt.dup();
    int[] t = {5, 500, 1000};
    INDArray eps = oracle.predict(xt, t);
    assertThat(eps.shape()).containsExactly(3, 2, 2, 2);
    for (int b = 0; b < 3; b++) {
      INDArray alone = oracle.predict(xt.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b,
          b + 1)), new int[] {t[b]});
      assertThat(alone).isEqualTo(eps.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b,
          b + 1)));
    }
    double a = LINEAR.alphaBar(500);
    double x = xt.getDouble(1, 1, 0, 1);
    double expected = Math.sqrt(1 - a) * (x - Math.sqrt(a) * muValues[5])
        / (a * sValues[5] * sValues[5] + 1 - a);
    assertThat(eps.getDouble(1, 1, 0, 1)).isCloseTo(expected, within(1e-14));
    assertThat(xt).isEqualTo(copy);
  }

  @Test
  void badInputsAreRejectedNamingTheParameter() {
    GaussianData oracle = data(LINEAR, MU, S);
    INDArray xt = Nd4j.zeros(2, 4);
    assertThatThrownBy(() -> oracle.predict(Nd4j.zeros(2, 5), new int[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xt")
        .hasMessageContaining("[2, 5]");
    assertThatThrownBy(() -> oracle.predict(xt, new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t must hold");
    assertThatThrownBy(() -> oracle.predict(xt, new int[] {1, 0}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t = 0");
    assertThatThrownBy(() -> oracle.x0Mean(xt, new int[] {1, 1001}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1001");
    assertThatThrownBy(() -> oracle.predict(Nd4j.createFromArray(new double[][] {
        {0, Double.NaN, 0, 0}}), new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xt")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> data(LINEAR, MU, new double[] {1, -0.5, 1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s coordinate 1");
    assertThatThrownBy(() -> data(LINEAR, MU, new double[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s must have");
    assertThatThrownBy(() -> data(LINEAR, new double[] {0, Double.POSITIVE_INFINITY},
        new double[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mu coordinate 1");
    assertThatThrownBy(() -> oracle.probabilityFlow(xt, new int[] {1, 1}, new int[] {-1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s must be in");
  }
}
