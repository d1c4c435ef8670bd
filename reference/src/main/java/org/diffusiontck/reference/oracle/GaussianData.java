package org.diffusiontck.reference.oracle;

import org.diffusiontck.reference.DiagonalGaussian;
import org.diffusiontck.reference.Require;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An exact oracle: data x_0 ~ N(μ, diag(s²)) diffused on a {@link NoiseSchedule}. The optimal
 * noise prediction, the optimal x_0 prediction, the marginals q(x_t), the data log-likelihood and
 * the probability-flow map are all in closed form, so a sampler run on this model has a known
 * right answer.
 *
 * <p>μ and s have the shape of one data point, the trailing shape of x_t [B, …]; s = 0 at a
 * coordinate makes that coordinate a point mass at μ. Coordinates are independent, so everything
 * below is per coordinate. Write a = ᾱ_t. With x_t = √a x_0 + √(1 − a) ε, x_0 ~ N(μ, s²) and
 * ε ~ N(0, 1) independent (Ho et al. 2020, eq. 4), the triple (ε, x_0, x_t) is jointly Gaussian
 * with
 *
 * <pre>
 *   E[x_t] = √a μ,   V_t := Var[x_t] = a s² + (1 − a),
 *   Cov[ε, x_t] = √(1 − a),   Cov[x_0, x_t] = √a s².
 * </pre>
 *
 * For a jointly Gaussian pair (u, x) with Var[x] &gt; 0, E[u | x] = E[u] + Cov[u, x] / Var[x] ·
 * (x − E[x]); V_t &gt; 0 whenever t ≥ 1, since then 1 − a &gt; 0.
 *
 * <p>Derivation: {@code spec/derivations/gaussian-oracle.md} §1–§2, §3, §4.
 * Its "In the code" table names this class's methods and the rules that check them.
 *
 * <p>The engine's route {@code org.diffusiontck.checks.rules.GaussianOracle} is a marked copy of
 * these closed forms in plain double (the engine may not use the reference); {@code
 * GaussianDataTest} holds the two to agree.
 */
public final class GaussianData extends ExactOracle {
  private static final double LN2 = Math.log(2.0);

  private final double[] mu;
  /** s, the data's standard deviation per coordinate ({@code s} is the papers' earlier timestep). */
  private final double[] sd;

  /**
   * Data N(μ, diag(s²)).
   *
   * @param mu μ, of the shape of one data point (at least one dimension)
   * @param s the standard deviation s ≥ 0 per coordinate, of μ's shape
   */
  public GaussianData(NoiseSchedule schedule, INDArray mu, INDArray s) {
    super(schedule, SampleShape.of("mu", mu));
    this.mu = shape.coordinates("mu", mu);
    this.sd = shape.coordinates("s", s);
    for (int i = 0; i < sd.length; i++) {
      Require.inClosed("s coordinate " + i, sd[i], 0.0, Double.MAX_VALUE);
    }
  }

  /**
   * The optimal noise prediction, the minimizer of E‖ε − ε̂(x_t, t)‖² (Ho et al. 2020, eq. 14):
   *
   * <pre>
   *   ε*(x_t, t) = E[ε | x_t] = √(1 − a) (x_t − √a μ) / (a s² + 1 − a)
   * </pre>
   *
   * from the joint Gaussian above with Cov[ε, x_t] = √(1 − a). Under zero terminal SNR (a = 0 at
   * t = T) it is x_t itself.
   *
   * @param t one timestep in 1..T per batch element
   */
  @Override
  public INDArray predict(INDArray xt, int[] t) {
    SampleShape.requireNoisy(t, xt, schedule);
    double[][] x = shape.rows("xt", xt);
    return table(x.length, (b, i) -> Math.sqrt(schedule.oneMinusAlphaBar(t[b]))
        * (x[b][i] - Math.sqrt(schedule.alphaBar(t[b])) * mu[i]) / variance(t[b], i));
  }

  /**
   * The optimal x_0 prediction
   *
   * <pre>
   *   E[x_0 | x_t] = μ + √a s² / (a s² + 1 − a) · (x_t − √a μ)
   * </pre>
   *
   * from the joint Gaussian above with Cov[x_0, x_t] = √a s². It satisfies x_t = √a E[x_0 | x_t]
   * + √(1 − a) E[ε | x_t], the conditional expectation of eq. 4. It is μ where a = 0.
   *
   * @param t one timestep in 1..T per batch element
   */
  public INDArray x0Mean(INDArray xt, int[] t) {
    SampleShape.requireNoisy(t, xt, schedule);
    double[][] x = shape.rows("xt", xt);
    return table(x.length, (b, i) -> {
      double sqrtAlphaBar = Math.sqrt(schedule.alphaBar(t[b]));
      return mu[i] + sqrtAlphaBar * sd[i] * sd[i] / variance(t[b], i)
          * (x[b][i] - sqrtAlphaBar * mu[i]);
    });
  }

  /**
   * The marginal q(x_t) = N(√a μ, a s² + 1 − a), one per batch element: the moments of the joint
   * Gaussian above. At t = 0 it is the data distribution; under zero terminal SNR, N(0, 1) at T.
   *
   * @param t one timestep in 0..T per batch element (at least one)
   * @return mean and variance of shape [t.length, …]
   */
  public DiagonalGaussian marginal(int[] t) {
    if (t == null || t.length == 0) {
      throw new IllegalArgumentException("t must hold at least one timestep, got "
          + (t == null ? "null" : "none"));
    }
    for (int tb : t) {
      Require.timestep("t", tb, schedule.T());
    }
    return new DiagonalGaussian(
        table(t.length, (b, i) -> Math.sqrt(schedule.alphaBar(t[b])) * mu[i]),
        table(t.length, (b, i) -> variance(t[b], i)));
  }

  /**
   * The exact data log-likelihood log N(x_0; μ, diag(s²)) = Σ_i [−½ log(2π s_i²) − (x_{0,i} −
   * μ_i)² / (2 s_i²)], in nats, one value per batch element.
   *
   * @throws IllegalArgumentException if some s_i = 0 (a point mass has no density)
   */
  public double[] logLikelihood(INDArray x0) {
    double[][] x = shape.rows("x0", x0);
    for (int i = 0; i < sd.length; i++) {
      if (sd[i] == 0.0) {
        throw new IllegalArgumentException("s coordinate " + i
            + " must be positive for the data to have a density, got 0.0 (a point mass)");
      }
    }
    double[] out = new double[x.length];
    for (int b = 0; b < x.length; b++) {
      for (int i = 0; i < sd.length; i++) {
        double z = (x[b][i] - mu[i]) / sd[i];
        out[b] += -0.5 * Math.log(2.0 * Math.PI * sd[i] * sd[i]) - 0.5 * z * z;
      }
    }
    return out;
  }

  /**
   * The negative log-likelihood in bits per dimension, −log N(x_0; μ, diag(s²)) / (D ln 2), one
   * value per batch element: the density of x_0 in the units it is given in, with no
   * discretization of the data.
   */
  public double[] bitsPerDim(INDArray x0) {
    double[] logLikelihood = logLikelihood(x0);
    double[] out = new double[logLikelihood.length];
    for (int b = 0; b < out.length; b++) {
      out[b] = -logLikelihood[b] / (shape.size() * LN2);
    }
    return out;
  }

  /**
   * The exact probability-flow map from x_t to x_s, for any t and s in 0..T (either order): the
   * solution at s of the probability-flow ODE started from x_t at t,
   *
   * <pre>
   *   x_s = √ᾱ_s μ + √(ᾱ_s s² + 1 − ᾱ_s) · (x_t − √ᾱ_t μ) / √(ᾱ_t s² + 1 − ᾱ_t).
   * </pre>
   *
   * <p>Derivation. In the variables x̄ = x/√ᾱ and σ̄ = √((1 − ᾱ)/ᾱ) the probability-flow ODE of
   * the DDIM process is dx̄ = ε*(x, t) dσ̄ (Song et al. 2021, eq. 14), where x = x̄/√(σ̄² + 1).
   * Since x̄ = x_0 + σ̄ ε, x̄ is Gaussian with mean μ and variance s² + σ̄², Cov[ε, x̄] = σ̄, and
   * ε*(x, t) = E[ε | x̄] = σ̄ (x̄ − μ) / (s² + σ̄²). For z = (x̄ − μ) / √(s² + σ̄²),
   *
   * <pre>
   *   dz/dσ̄ = σ̄ (x̄ − μ) / (s² + σ̄²)^{3/2} − (x̄ − μ) σ̄ / (s² + σ̄²)^{3/2} = 0,
   * </pre>
   *
   * so z is constant along the flow; multiplying numerator and denominator by √ᾱ gives z = (x −
   * √ᾱ μ) / √(ᾱ s² + 1 − ᾱ), the standardized value of x under q(x_t), and solving z_s = z_t for
   * x_s gives the map. The flow therefore pushes q(x_t) forward to q(x_s).
   *
   * <p>Zero terminal SNR: the variables x̄, σ̄ are singular at ᾱ = 0, but the map is continuous
   * in ᾱ down to ᾱ = 0 (there V = 1 and √ᾱ μ = 0, so z_T = x_T), and it is taken as the limit:
   * from T, x_s = √ᾱ_s μ + √(ᾱ_s s² + 1 − ᾱ_s) x_T, so x_0 = μ + s x_T.
   *
   * <p>A point-mass coordinate (s = 0) maps to √ᾱ_s μ at s = 0; starting from t = 0 there is
   * undefined (V_0 = 0) and raises an exception.
   *
   * @param t the start timestep in 0..T per batch element
   * @param s the end timestep in 0..T per batch element
   */
  public INDArray probabilityFlow(INDArray xt, int[] t, int[] s) {
    Require.onePerSample("t", t, "xt", xt);
    Require.onePerSample("s", s, "xt", xt);
    for (int b = 0; b < t.length; b++) {
      Require.timestep("t", t[b], schedule.T());
      Require.timestep("s", s[b], schedule.T());
    }
    double[][] x = shape.rows("xt", xt);
    return table(x.length, (b, i) -> Math.sqrt(schedule.alphaBar(s[b])) * mu[i]
        + Math.sqrt(variance(s[b], i)) * standardized(x[b][i], t[b], i));
  }

  /** The data law N(μ, diag(s²)) as doubles, coordinates in C order. */
  public IndependentGaussian law() {
    return marginalLaw(0);
  }

  /** q(x_t) = N(√ᾱ_t μ, ᾱ_t s² + 1 − ᾱ_t) per coordinate ({@link #marginal}), as doubles. */
  public IndependentGaussian marginalLaw(int t) {
    Require.timestep("t", t, schedule.T());
    double[] m = new double[mu.length];
    double[] v = new double[mu.length];
    for (int i = 0; i < mu.length; i++) {
      m[i] = Math.sqrt(schedule.alphaBar(t)) * mu[i];
      v[i] = variance(t, i);
    }
    return new IndependentGaussian(m, v);
  }

  /**
   * The law of the exact probability flow's output x_0 ({@link #probabilityFlow} from t to 0)
   * started from x_t ~ N(0, I) instead of q(x_t): the flow is x_0 = μ + s z_t with z_t = (x_t −
   * √ᾱ_t μ)/√V_t, so x_0 ~ N(μ − s √ᾱ_t μ/√V_t, s²/V_t). It is the law every DDIM sampler at η =
   * 0 started at t tends to as its steps get finer, and it is the data law only where x_t ~
   * q(x_t).
   *
   * @param t the start timestep, 1..T
   */
  public IndependentGaussian flowLaw(int t) {
    Require.timestep("t", t, schedule.T());
    Require.atLeast("t", t, 1);
    double[] m = new double[mu.length];
    double[] v = new double[mu.length];
    for (int i = 0; i < mu.length; i++) {
      double rootV = Math.sqrt(variance(t, i));
      m[i] = mu[i] - sd[i] * Math.sqrt(schedule.alphaBar(t)) * mu[i] / rootV;
      v[i] = sd[i] * sd[i] / (rootV * rootV);
    }
    return new IndependentGaussian(m, v);
  }

  /** D, the number of coordinates of one data point. */
  int dimension() {
    return mu.length;
  }

  /** μ_i. */
  double mu(int i) {
    return mu[i];
  }

  /** s_i. */
  double s(int i) {
    return sd[i];
  }

  /** z = (x_t − √ᾱ_t μ) / √(ᾱ_t s² + 1 − ᾱ_t), the flow's invariant. */
  private double standardized(double xt, int t, int i) {
    double variance = variance(t, i);
    if (variance == 0.0) {
      throw new IllegalArgumentException("t must not be 0 for coordinate " + i
          + ", a point mass (s = 0): the probability flow from it is undefined, got t = " + t);
    }
    return (xt - Math.sqrt(schedule.alphaBar(t)) * mu[i]) / Math.sqrt(variance);
  }

  /** V_t = ᾱ_t s² + (1 − ᾱ_t) for coordinate i, with 1 − ᾱ_t to full relative precision. */
  double variance(int t, int i) {
    return schedule.alphaBar(t) * sd[i] * sd[i] + schedule.oneMinusAlphaBar(t);
  }

  /** A tensor [batch, …] holding f(b, i) at coordinate i of batch element b. */
  private INDArray table(int batch, CoordinateFunction f) {
    double[][] out = new double[batch][shape.size()];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < out[b].length; i++) {
        out[b][i] = f.at(b, i);
      }
    }
    return shape.tensor(out);
  }

  @FunctionalInterface
  private interface CoordinateFunction {
    double at(int b, int i);
  }
}
