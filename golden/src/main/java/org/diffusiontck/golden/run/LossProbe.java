package org.diffusiontck.golden.run;

import org.diffusiontck.reference.param.Parameterization;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model seen through the variational bound's loop, which calls it once per t on x_t = √ᾱ_t x_0 +
 * √(1 − ᾱ_t) ε_t: each call also records the denoising loss at t, the mean over the batch and
 * the pixels of (output − target)², the target being what the model predicts (ε_t, x_0 or v =
 * √ᾱ_t ε_t − √(1 − ᾱ_t) x_0, Salimans &amp; Ho 2022), and the loss of predicting zero, the mean
 * of target².
 */
final class LossProbe implements NoisePredictor {
  private final NoisePredictor model;
  private final Parameterization parameterization;
  private final INDArray x0;
  private final INDArray[] eps;
  private final double[] loss;
  private final double[] zero;

  /**
   * @param eps ε_t for t = 1..T at index t − 1, each of x0's shape
   */
  LossProbe(NoisePredictor model, NoiseSchedule schedule, INDArray x0, INDArray[] eps) {
    this.model = model;
    this.parameterization = new Parameterization(schedule);
    this.x0 = x0;
    this.eps = eps;
    this.loss = new double[eps.length];
    this.zero = new double[eps.length];
  }

  @Override
  public Prediction prediction() {
    return model.prediction();
  }

  /** The model's output; records the losses at t, which must be the same for the whole batch. */
  @Override
  public INDArray predict(INDArray xt, int[] t) {
    INDArray out = model.predict(xt, t);
    int step = t[0];
    for (int tb : t) {
      if (tb != step) {
        throw new IllegalArgumentException("the loss probe needs one t per call, got " + tb
            + " and " + step);
      }
    }
    INDArray target = switch (model.prediction()) {
      case EPSILON -> eps[step - 1];
      case X0 -> x0;
      case V -> parameterization.vFromEpsAndX0(t, eps[step - 1], x0);
    };
    loss[step - 1] = out.squaredDistance(target) / target.length();
    double norm = target.norm2Number().doubleValue();
    zero[step - 1] = norm * norm / target.length();
    return out;
  }

  /** The denoising loss at t = 1..T (index t − 1). */
  double[] loss() {
    return loss.clone();
  }

  /** The loss of predicting zero at t = 1..T (index t − 1). */
  double[] zeroLoss() {
    return zero.clone();
  }
}
