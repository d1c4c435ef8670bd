package org.diffusiontck.reference.schedule;

import org.diffusiontck.reference.Require;

/**
 * The named noise schedules, each from its defining equation.
 *
 * <p>Derivation: {@code spec/derivations/forward.md} §1, §4.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class Schedules {
  /** Ho et al. 2020, §4: β_1 = 1e-4, β_T = 0.02 for T = 1000. */
  public static final double LINEAR_BETA_START = 1e-4;

  /** Ho et al. 2020, §4. */
  public static final double LINEAR_BETA_END = 0.02;

  /** Rombach et al. 2022 (Stable Diffusion): β_1 = 0.00085. */
  public static final double SCALED_LINEAR_BETA_START = 0.00085;

  /** Rombach et al. 2022 (Stable Diffusion): β_T = 0.012. */
  public static final double SCALED_LINEAR_BETA_END = 0.012;

  /** Nichol &amp; Dhariwal 2021, eq. 17: the offset s = 0.008. */
  public static final double COSINE_OFFSET = 0.008;

  /** Nichol &amp; Dhariwal 2021, §3.2: β_t is clipped to be no larger than 0.999. */
  public static final double COSINE_MAX_BETA = 0.999;

  private Schedules() {}

  /**
   * Linear schedule (Ho et al. 2020, §4): β_t = β_start + (t − 1)/(T − 1) · (β_end − β_start),
   * t = 1..T (β_1 = β_start when T = 1), with the endpoints first multiplied by 1000/T under
   * {@link LinearEndpoints#SCALED_BY_1000_OVER_T}.
   */
  public static NoiseSchedule linear(
      int T, double betaStart, double betaEnd, LinearEndpoints endpoints) {
    Require.atLeast("T", T, 1);
    checkEndpoints(betaStart, betaEnd);
    double scale = endpoints == LinearEndpoints.SCALED_BY_1000_OVER_T ? 1000.0 / T : 1.0;
    return new NoiseSchedule(linspace(scale * betaStart, scale * betaEnd, T));
  }

  /** {@link #linear} with Ho et al.'s endpoints 1e-4 and 0.02, not rescaled. */
  public static NoiseSchedule linear(int T) {
    return linear(T, LINEAR_BETA_START, LINEAR_BETA_END, LinearEndpoints.FIXED);
  }

  /**
   * Scaled-linear schedule (Rombach et al. 2022): β_t = (√β_start + (t − 1)/(T − 1) · (√β_end −
   * √β_start))², linear in √β.
   */
  public static NoiseSchedule scaledLinear(int T, double betaStart, double betaEnd) {
    Require.atLeast("T", T, 1);
    checkEndpoints(betaStart, betaEnd);
    double[] sqrtBeta = linspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), T);
    double[] betas = new double[T];
    for (int i = 0; i < T; i++) {
      betas[i] = sqrtBeta[i] * sqrtBeta[i];
    }
    return new NoiseSchedule(betas);
  }

  /** {@link #scaledLinear} with Stable Diffusion's endpoints 0.00085 and 0.012. */
  public static NoiseSchedule scaledLinear(int T) {
    return scaledLinear(T, SCALED_LINEAR_BETA_START, SCALED_LINEAR_BETA_END);
  }

  /**
   * Cosine schedule (Nichol &amp; Dhariwal 2021, eq. 17): f(t) = cos²(((t/T + s)/(1 + s)) · π/2),
   * β_t = min(1 − f(t)/f(t − 1), maxBeta). ᾱ_t is then ∏(1 − β_s) as for every schedule, which
   * equals f(t)/f(0) wherever the cap is not active.
   *
   * @param s the offset, in [0, 1)
   * @param maxBeta the cap on β_t, in (0, 1]
   */
  public static NoiseSchedule cosine(int T, double s, double maxBeta) {
    Require.atLeast("T", T, 1);
    Require.inClosed("s", s, 0, Math.nextDown(1.0));
    Require.inHalfOpen("maxBeta", maxBeta, 0, 1);
    double[] betas = new double[T];
    for (int t = 1; t <= T; t++) {
      betas[t - 1] = Math.min(1.0 - cosineF(t, T, s) / cosineF(t - 1, T, s), maxBeta);
    }
    return new NoiseSchedule(betas);
  }

  /** {@link #cosine} with s = 0.008 and the 0.999 cap. */
  public static NoiseSchedule cosine(int T) {
    return cosine(T, COSINE_OFFSET, COSINE_MAX_BETA);
  }

  /**
   * Sigmoid schedule (Xu et al. 2022, GeoDiff; diffusers' {@code "sigmoid"}): β_t = β_start +
   * σ(−6 + 12 (t − 1)/(T − 1)) · (β_end − β_start), with σ the logistic function.
   */
  public static NoiseSchedule sigmoid(int T, double betaStart, double betaEnd) {
    Require.atLeast("T", T, 1);
    checkEndpoints(betaStart, betaEnd);
    double[] x = linspace(-6.0, 6.0, T);
    double[] betas = new double[T];
    for (int i = 0; i < T; i++) {
      betas[i] = betaStart + (betaEnd - betaStart) / (1.0 + Math.exp(-x[i]));
    }
    return new NoiseSchedule(betas);
  }

  /** {@link #sigmoid} with the linear schedule's endpoints 1e-4 and 0.02. */
  public static NoiseSchedule sigmoid(int T) {
    return sigmoid(T, LINEAR_BETA_START, LINEAR_BETA_END);
  }

  /** A schedule from an explicit list β_1..β_T. */
  public static NoiseSchedule fromBetas(double... betas) {
    return new NoiseSchedule(betas.clone());
  }

  /**
   * Rescales a schedule to zero terminal SNR (Lin et al. 2024, Algorithm 1): with √ᾱ_t the
   * original values, √ᾱ'_t = (√ᾱ_t − √ᾱ_T) · √ᾱ_1 / (√ᾱ_1 − √ᾱ_T), so that ᾱ'_1 = ᾱ_1 and ᾱ'_T =
   * 0; then β'_t = 1 − ᾱ'_t/ᾱ'_{t−1}, which makes β'_T = 1 exactly.
   *
   * @throws IllegalArgumentException if T = 1 (there is no schedule that keeps ᾱ_1 and zeroes ᾱ_T)
   */
  public static NoiseSchedule zeroTerminalSnr(NoiseSchedule schedule) {
    int T = schedule.T();
    if (T < 2) {
      throw new IllegalArgumentException(
          "T must be at least 2 to rescale to zero terminal SNR, got " + T);
    }
    double sqrtFirst = Math.sqrt(schedule.alphaBar(1));
    double sqrtLast = Math.sqrt(schedule.alphaBar(T));
    double[] rescaled = new double[T + 1];
    rescaled[0] = 1.0;
    for (int t = 1; t <= T; t++) {
      double sqrtAlphaBar =
          (Math.sqrt(schedule.alphaBar(t)) - sqrtLast) * sqrtFirst / (sqrtFirst - sqrtLast);
      rescaled[t] = sqrtAlphaBar * sqrtAlphaBar;
    }
    rescaled[T] = 0.0;
    double[] betas = new double[T];
    for (int t = 1; t <= T; t++) {
      betas[t - 1] = 1.0 - rescaled[t] / rescaled[t - 1];
    }
    return new NoiseSchedule(betas);
  }

  /** Fails unless both endpoints are valid β's, in (0, 1]. */
  private static void checkEndpoints(double betaStart, double betaEnd) {
    Require.inHalfOpen("betaStart", betaStart, 0, 1);
    Require.inHalfOpen("betaEnd", betaEnd, 0, 1);
  }

  /** f(t) = cos²(((t/T + s)/(1 + s)) · π/2) of Nichol &amp; Dhariwal 2021, eq. 17. */
  private static double cosineF(int t, int T, double s) {
    double c = Math.cos(((double) t / T + s) / (1.0 + s) * Math.PI / 2.0);
    return c * c;
  }

  /** n points from a to b inclusive, as numpy's linspace: a + i·(b − a)/(n − 1). */
  private static double[] linspace(double a, double b, int n) {
    double[] out = new double[n];
    if (n == 1) {
      out[0] = a;
      return out;
    }
    double step = (b - a) / (n - 1);
    for (int i = 0; i < n; i++) {
      out[i] = a + i * step;
    }
    out[n - 1] = b;
    return out;
  }
}
