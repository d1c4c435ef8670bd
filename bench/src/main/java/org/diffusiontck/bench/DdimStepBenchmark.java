package org.diffusiontck.bench;

import java.util.Arrays;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.sampling.DdimEpsilon;
import org.diffusiontck.reference.sampling.DdimStep;
import org.diffusiontck.reference.sampling.FinalAlphaBar;
import org.diffusiontck.reference.sampling.X0Clipping;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Param;

/**
 * One DDIM step t → s (Song et al. 2021, eq. 12): x̂_0 = (x_t − √(1 − ᾱ_t) ε̂)/√ᾱ_t, optionally
 * clipped, then x_s = √ᾱ_s x̂_0 + √(1 − ᾱ_s − σ_t²) ε̂ + σ_t z with σ_t(η) of eq. 16 and ε̂ the
 * model output, by the reference {@link DdimStep#step} and by a plain loop of the same formula. A
 * sampler steps the whole batch from one t to one s: here t = 500 → s = 480 (50 steps over T =
 * 1000) for every batch element.
 */
public class DdimStepBenchmark extends StepBenchmark {
  static final int FROM = 500;
  static final int TO = 480;

  /** η: 0 is deterministic DDIM (no noise term); η &gt; 0 adds σ_t z. */
  @Param({"0", "0.5"})
  public double eta;

  private DdimStep step;
  private int[] s;

  @Override
  protected int[] stepTimesteps() {
    int[] from = new int[t.length];
    Arrays.fill(from, FROM);
    return from;
  }

  @Override
  protected void prepareStep(X0Clipping clipping) {
    step = new DdimStep(schedule, eta, DdimEpsilon.MODEL, FinalAlphaBar.ONE, clipping);
    s = new int[t.length];
    Arrays.fill(s, TO);
  }

  @Override
  protected INDArray byReference() {
    return step.step(Prediction.EPSILON, xt, tStep, s, modelOutput, noise);
  }

  /**
   * √ᾱ_s, √(1 − ᾱ_s − σ_t²) and σ_t = η √((1 − ᾱ_s)/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_s) (eq. 16), as the
   * paper writes them.
   */
  @Override
  protected void stepCoefficients(int b, double[] a, double[] c, double[] d) {
    double alphaBarT = schedule.alphaBar(tStep[b]);
    double alphaBarS = schedule.alphaBar(s[b]);
    double sigma =
        eta * Math.sqrt((1 - alphaBarS) / (1 - alphaBarT)) * Math.sqrt(1 - alphaBarT / alphaBarS);
    a[b] = Math.sqrt(alphaBarS);
    c[b] = Math.sqrt(1 - alphaBarS - sigma * sigma);
    d[b] = sigma;
  }

  @Override
  protected double[] plainY() {
    return modelOutputPlain;
  }
}
