package org.diffusiontck.reference.convergence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.diffusiontck.reference.convergence.Fixtures.LINEAR;
import static org.diffusiontck.reference.convergence.Fixtures.MU;
import static org.diffusiontck.reference.convergence.Fixtures.NO_NOISE;
import static org.diffusiontck.reference.convergence.Fixtures.S;
import static org.diffusiontck.reference.convergence.Fixtures.filled;

import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.oracle.GaussianData;
import org.diffusiontck.reference.sampling.DdimEpsilon;
import org.diffusiontck.reference.sampling.DdimSampler;
import org.diffusiontck.reference.sampling.DdimStep;
import org.diffusiontck.reference.sampling.FinalAlphaBar;
import org.diffusiontck.reference.sampling.PreviousTimestep;
import org.diffusiontck.reference.sampling.Timesteps;
import org.diffusiontck.reference.sampling.X0Clipping;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Deterministic DDIM (η = 0) on the Gaussian-data oracle converges to the exact probability-flow
 * map ({@link GaussianData#probabilityFlow}) at first order in the number of steps N.
 *
 * <p>Why first order. In x̄ = x/√ᾱ and σ̄ = √((1 − ᾱ)/ᾱ), a DDIM step with σ = 0 is x̄_s = x̄_t +
 * (σ̄_s − σ̄_t) ε*(x_t, t): the explicit Euler step of the probability-flow ODE dx̄ = ε* dσ̄ (Song et
 * al. 2021, eq. 14). On Gaussian data, y = x̄ − μ obeys dy/dσ̄ = σ̄ y/(s² + σ̄²) per coordinate,
 * smooth in σ̄, and the selected σ̄(t_k) are a smooth image of the uniform linspace grid in t. For
 * such grids Euler's global error expands as e(h) = a h (1 + c h + O(h²)) in the step h ∝ 1/N
 * (Hairer, Nørsett &amp; Wanner, Solving ODEs I, §II.8), so the observed order p = log₂(e(N)/e(2N))
 * = 1 + log₂((1 + c h)/(1 + c h/2)) ≈ 1 + 0.72 c h tends to 1, its distance from 1 halving with each
 * doubling of N.
 *
 * <p>Set-up, chosen so that nothing but Euler's error is measured. Linear schedule, T = 1000,
 * LINSPACE: every grid starts at t = T, where the map starts, and ends at t = 1. {@link
 * FinalAlphaBar#FIRST_SELECTED} makes the last step (1 → 0) land on ᾱ_1, a step of zero length in
 * σ̄, so the run ends at t = 1 and is compared with the flow from T to 1. (Under ONE the last step
 * 1 → 0 has the same length σ̄_1 ≈ 0.01 for every N, a local error that does not shrink with N and
 * flattens the order at s = 0.25 by ≈ 0.02 at N = 160.) Since the error is linear in y, each
 * coordinate's error is |y_T| times a factor that depends only on its s and N, so the order is
 * measured per coordinate (max over the batch).
 *
 * <p>The band. Euler is first order: p → 1. Two departures: (i) the c h term above; the first
 * pairs (N = 10 → 20 → 40) are asserted within 1 ± 0.15, i.e. |c h| ≤ 0.2 at N = 10, which leaves
 * ≤ 0.72 · 0.2 / 4 ≈ 0.036 at N = 40 → 80 and half that at 80 → 160; (ii) timesteps are rounded to
 * integers, so the steps in t are ⌊δ⌋ or ⌈δ⌉ with δ = 999/(N − 1) instead of δ, which changes
 * Euler's error constant (∝ Σ Δ_k²) by at most Var(Δt)/δ² ≤ 1/(4δ²), 0.6 % at N = 160, ≤ 0.01 in
 * p. Hence 1 ± 0.05 on the two finest pairs; a sampler that stalls (order 0) or a second-order one
 * falls far outside. Rounding is negligible: the error at N = 160 is above 1e-4 (asserted),
 * rounding below 1e-12. Observed orders, N = 10 → … → 160: 0.90, 0.96, 0.97, 0.98 at s = 0.25;
 * 0.99 throughout at s = 0.5; 1.01, 1.00, 1.00, 1.00 at s = 1; 1.02, 1.01, 1.00, 1.00 at s = 2.
 */
class DdimConvergenceTest {
  private static final int[] STEPS = {10, 20, 40, 80, 160};
  private static final int BATCH = 6;

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @Test
  void ddimApproachesTheProbabilityFlowAtFirstOrder() {
    GaussianData oracle = Fixtures.gaussian(MU, S);
    INDArray xT = new PortableNoise(20240611L).normal(BATCH, S.length);
    INDArray exact = oracle.probabilityFlow(xT, filled(BATCH, 1000), filled(BATCH, 1));
    double[][] error = new double[STEPS.length][];
    for (int n = 0; n < STEPS.length; n++) {
      DdimSampler ddim = new DdimSampler(
          new DdimStep(LINEAR, 0.0, DdimEpsilon.MODEL, FinalAlphaBar.FIRST_SELECTED,
              X0Clipping.NONE),
          Timesteps.linspace(1000, STEPS[n]), PreviousTimestep.NEXT_SELECTED);
      error[n] = Fixtures.maxErrorPerCoordinate(ddim.sample(oracle, xT, NO_NOISE), exact);
    }
    for (int i = 0; i < S.length; i++) {
      assertThat(error[STEPS.length - 1][i]).as("error at N = 160, s = %s", S[i])
          .isGreaterThan(1e-4);
      for (int n = 0; n + 1 < STEPS.length; n++) {
        double order = Math.log(error[n][i] / error[n + 1][i]) / Math.log(2.0);
        double band = n >= STEPS.length - 3 ? 0.05 : 0.15;
        assertThat(order).as("order from N = %d to %d, s = %s", STEPS[n], STEPS[n + 1], S[i])
            .isBetween(1.0 - band, 1.0 + band);
      }
    }
  }
}
