package org.diffusiontck.bench;

import org.diffusiontck.reference.forward.ForwardProcess;
import org.diffusiontck.reference.posterior.Posterior;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The posterior mean μ̃(x_t, x_0) = √ᾱ_{t−1} β_t / (1 − ᾱ_t) · x_0 + √α_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t)
 * · x_t (Ho et al. 2020, eq. 7), by the reference {@link Posterior#mean} with s = t − 1 and by a
 * plain loop of the same formula, x_t being the sample √ᾱ_t x_0 + √(1 − ᾱ_t) ε of q(x_t | x_0).
 */
public class PosteriorMeanBenchmark extends ReferenceVersusPlainLoop {
  private Posterior posterior;
  private int[] s;
  private INDArray xt;
  private double[] xtPlain;

  @Override
  protected void prepare() {
    posterior = new Posterior(schedule);
    s = new int[t.length];
    for (int b = 0; b < t.length; b++) {
      s[b] = t[b] - 1;
    }
    xt = new ForwardProcess(schedule).sample(x0, t, eps);
    xtPlain = plain(xt);
  }

  @Override
  protected INDArray byReference() {
    return posterior.mean(xt, x0, t, s);
  }

  /** The coefficients of eq. 7 with s = t − 1, where β_{t|s} = β_t and α_{t|s} = ᾱ_t/ᾱ_{t−1}. */
  @Override
  protected double[] byPlainLoop() {
    double[] cX0 = new double[t.length];
    double[] cXt = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      double oneMinusAlphaBarT = schedule.oneMinusAlphaBar(t[b]);
      cX0[b] = Math.sqrt(schedule.alphaBar(s[b])) * schedule.beta(t[b]) / oneMinusAlphaBarT;
      cXt[b] = Math.sqrt(schedule.alphaBar(t[b]) / schedule.alphaBar(s[b]))
          * schedule.oneMinusAlphaBar(s[b]) / oneMinusAlphaBarT;
    }
    return PlainLoop.combine(cX0, x0Plain, cXt, xtPlain);
  }
}
