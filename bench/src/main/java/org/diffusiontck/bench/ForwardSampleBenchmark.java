package org.diffusiontck.bench;

import org.diffusiontck.reference.forward.ForwardProcess;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sampling q(x_t | x_0): x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε (Ho et al. 2020, §3.2), by the reference
 * {@link ForwardProcess#sample} and by a plain loop of the same formula.
 */
public class ForwardSampleBenchmark extends ReferenceVersusPlainLoop {
  private ForwardProcess forward;

  @Override
  protected void prepare() {
    forward = new ForwardProcess(schedule);
  }

  @Override
  protected INDArray byReference() {
    return forward.sample(x0, t, eps);
  }

  @Override
  protected double[] byPlainLoop() {
    double[] sqrtAlphaBar = new double[t.length];
    double[] sqrtOneMinusAlphaBar = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      sqrtAlphaBar[b] = Math.sqrt(schedule.alphaBar(t[b]));
      sqrtOneMinusAlphaBar[b] = Math.sqrt(schedule.oneMinusAlphaBar(t[b]));
    }
    return PlainLoop.combine(sqrtAlphaBar, x0Plain, sqrtOneMinusAlphaBar, epsPlain);
  }
}
