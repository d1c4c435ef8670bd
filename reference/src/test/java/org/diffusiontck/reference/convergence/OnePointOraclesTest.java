package org.diffusiontck.reference.convergence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.diffusiontck.reference.convergence.Fixtures.LINEAR;

import java.util.List;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.oracle.FiniteData;
import org.diffusiontck.reference.oracle.GaussianData;
import org.diffusiontck.reference.oracle.TinyImage;
import org.diffusiontck.reference.sampling.DdimEpsilon;
import org.diffusiontck.reference.sampling.DdimSampler;
import org.diffusiontck.reference.sampling.DdimStep;
import org.diffusiontck.reference.sampling.FinalAlphaBar;
import org.diffusiontck.reference.sampling.PreviousTimestep;
import org.diffusiontck.reference.sampling.SamplingResult;
import org.diffusiontck.reference.sampling.StepListener;
import org.diffusiontck.reference.sampling.StepNoise;
import org.diffusiontck.reference.sampling.Timesteps;
import org.diffusiontck.reference.sampling.X0Clipping;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two exact oracles agree on a one-point data set {y}: DDIM through {@link FiniteData} on
 * [y] and through {@link GaussianData} with μ = y and s = 0 visits the same states, from the same
 * x_T and the same step noise. Both oracles' ε* is (x_t − √ᾱ_t y)/√(1 − ᾱ_t) in exact arithmetic
 * (FiniteData: the posterior weight of the one point is exp(0)/1 = 1; GaussianData: √(1 − a)(x_t −
 * √a μ)/(a · 0 + 1 − a)), computed along different roundings.
 *
 * <p>Tolerance. Each evaluation of ε* differs between the two by a few ulps of x_t − √a y, which
 * is O(1) (|x_t| ≲ 5 for standard-normal x_T, |y| ≤ 1), divided by √(1 − a) ≥ √β_1 = 0.01: ≲ 1e-13
 * absolute, and the step multiplies it by √(1 − ᾱ_s − σ²) ≤ √(1 − ᾱ_s), which is small exactly
 * where √(1 − a) is (≲ 1e-14 in x_s). A difference δ in x_t is carried to x_s scaled by √((1 −
 * ᾱ_s)/(1 − ᾱ_t)) ≤ 1 (for a point mass, x_t − √ᾱ_t y is the only thing that moves, and the step
 * rescales it by that factor, plus σ z, the same in both), so over N = 50 steps the differences
 * add to at most 50 × ≈ 1e-14: tolerance 1e-12.
 */
class OnePointOraclesTest {
  private static final double TOL = 1e-12;

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @ParameterizedTest(name = "eta = {0}, {1}")
  @CsvSource({"0.0, ONE", "0.0, FIRST_SELECTED", "0.6, ONE", "1.0, FIRST_SELECTED"})
  void finiteDataOnOnePointIsGaussianDataWithZeroSpread(double eta, FinalAlphaBar last) {
    INDArray y = TinyImage.CROSS.image();
    FiniteData finite = new FiniteData(LINEAR, y.reshape(1, 1, 8, 8));
    GaussianData gaussian = new GaussianData(LINEAR, y, Nd4j.zeros(1, 8, 8));
    DdimSampler ddim = new DdimSampler(
        new DdimStep(LINEAR, eta, DdimEpsilon.MODEL, last, X0Clipping.NONE),
        Timesteps.linspace(1000, 50), PreviousTimestep.NEXT_SELECTED);
    INDArray xT = new PortableNoise(31).normal(4, 1, 8, 8);

    List<SamplingResult.Point> a = ddim.sample(finite, xT,
        StepNoise.from(new PortableNoise(32)), true, StepListener.NONE).trajectory();
    List<SamplingResult.Point> b = ddim.sample(gaussian, xT,
        StepNoise.from(new PortableNoise(32)), true, StepListener.NONE).trajectory();

    assertThat(a).hasSize(51).hasSameSizeAs(b);
    for (int k = 0; k < a.size(); k++) {
      assertThat(a.get(k).t()).isEqualTo(b.get(k).t());
      assertThat(Fixtures.maxError(a.get(k).x(), b.get(k).x())).as("at t = %d", a.get(k).t())
          .isLessThanOrEqualTo(TOL);
    }
    if (last == FinalAlphaBar.ONE) {
      INDArray data = Nd4j.concat(0, y, y, y, y).reshape(4, 1, 8, 8);
      assertThat(Fixtures.maxError(a.get(50).x(), data)).as("lands on y").isLessThanOrEqualTo(TOL);
    }
  }
}
