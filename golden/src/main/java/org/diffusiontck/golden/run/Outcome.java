package org.diffusiontck.golden.run;

import java.util.Map;
import org.diffusiontck.golden.record.Metrics;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a golden run computed.
 *
 * @param samples the samples [S, C, H, W] by sampler name
 * @param loss the denoising loss at t = 1..T (index t − 1)
 * @param zeroLoss the loss of predicting zero at t = 1..T
 * @param metrics the bound and the mean loss
 * @param probes what the sound-model checks look at; null for a candidate's files
 * @param millis the run's wall time
 * @param modelMillis the time spent in the model
 * @param modelCalls the number of model calls
 */
public record Outcome(
    Map<String, INDArray> samples,
    double[] loss,
    double[] zeroLoss,
    Metrics metrics,
    Probes probes,
    long millis,
    long modelMillis,
    long modelCalls) {

  /**
   * The extra runs the sound-model checks need.
   *
   * @param ddim the DDIM sampler (η = 0) they use
   * @param repeat a second run of it on the same noise
   * @param regenerated its samples, inverted by DDIM and sampled again from the inversion
   * @param xT the seeds' x_T
   * @param epsAtT the model's ε̂(x_T, T)
   */
  public record Probes(
      String ddim, INDArray repeat, INDArray regenerated, INDArray xT, INDArray epsAtT) {}
}
