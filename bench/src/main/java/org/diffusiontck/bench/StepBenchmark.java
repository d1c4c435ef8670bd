package org.diffusiontck.bench;

import org.diffusiontck.reference.forward.ForwardProcess;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.sampling.X0Clipping;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Param;

/**
 * One sampling step from x_t, the sample √ᾱ_t x_0 + √(1 − ᾱ_t) ε of q(x_t | x_0) at the step's
 * timesteps, with ε-prediction: the model output is ε itself (what a perfect ε-model returns, so
 * that x̂_0 ≈ x_0 and clipping to [−1, 1] changes about a third of the values) and the step's noise
 * z is portable noise stream 2.
 */
public abstract class StepBenchmark extends ReferenceVersusPlainLoop {
  /** What the step does to x̂_0: {@code NONE} or {@code CLIP} (to [−1, 1]). */
  @Param({"NONE", "CLIP"})
  public String clipping;

  /** The timestep of the step per batch element, x_t's timestep. */
  protected int[] tStep;
  protected INDArray xt;
  protected INDArray modelOutput;
  protected INDArray noise;
  protected double[] xtPlain;
  protected double[] modelOutputPlain;
  protected double[] noisePlain;

  @Override
  protected final void prepare() {
    tStep = stepTimesteps();
    xt = new ForwardProcess(schedule).sample(x0, tStep, eps);
    modelOutput = eps;
    noise = new PortableNoise(SEED, 2).normal(x0.shape());
    xtPlain = plain(xt);
    modelOutputPlain = epsPlain;
    noisePlain = plain(noise);
    prepareStep(clipping());
  }

  /** The step's timestep per batch element: by default the mixed ones of the base class. */
  protected int[] stepTimesteps() {
    return t;
  }

  /** Makes the reference's step object. */
  protected abstract void prepareStep(X0Clipping clipping);

  protected X0Clipping clipping() {
    return switch (clipping) {
      case "NONE" -> X0Clipping.NONE;
      case "CLIP" -> X0Clipping.CLIP;
      default -> throw new IllegalArgumentException(
          "clipping must be NONE or CLIP, got " + clipping);
    };
  }

  private boolean clip() {
    return clipping().active();
  }

  /**
   * The plain loop of the step: x̂_0 = p_b x_t + q_b ε̂ with x̂_0's coefficients 1/√ᾱ_t and −√((1 −
   * ᾱ_t)/ᾱ_t) (Ho et al. 2020, eq. 15), clipped as the reference clips it, then a_b x̂_0 + c_b y +
   * d_b z with the step's coefficients, all computed inside the measured call.
   */
  @Override
  protected final double[] byPlainLoop() {
    int batch = tStep.length;
    double[] p = new double[batch];
    double[] q = new double[batch];
    double[] a = new double[batch];
    double[] c = new double[batch];
    double[] d = new double[batch];
    for (int b = 0; b < batch; b++) {
      double alphaBarT = schedule.alphaBar(tStep[b]);
      p[b] = 1.0 / Math.sqrt(alphaBarT);
      q[b] = -Math.sqrt(schedule.oneMinusAlphaBar(tStep[b]) / alphaBarT);
      stepCoefficients(b, a, c, d);
    }
    return PlainLoop.step(p, xtPlain, q, modelOutputPlain, clip(), a, c, plainY(), d, noisePlain);
  }

  /** Writes a[b], c[b] and d[b], the step's coefficients of x̂_0, y and z for batch element b. */
  protected abstract void stepCoefficients(int b, double[] a, double[] c, double[] d);

  /** The step's second term's tensor y as a plain array: x_t for DDPM, ε̂ for DDIM. */
  protected abstract double[] plainY();
}
