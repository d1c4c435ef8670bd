package org.diffusiontck.reference.sampling;

import java.util.ArrayList;
import java.util.List;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The perfect predictor for the one-point data set {c}: given x_t, x_0 = c for certain, so ε =
 * (x_t − √ᾱ_t c)/√(1 − ᾱ_t), x̂_0 = c and v = √ᾱ_t ε − √(1 − ᾱ_t) c, written out coordinate by
 * coordinate in plain doubles (not through the reference's conversions). Records the timesteps it
 * is called with.
 */
final class PointMassPredictor implements NoisePredictor {
  private final NoiseSchedule schedule;
  private final double c;
  private final Prediction prediction;
  final List<Integer> calls = new ArrayList<>();

  PointMassPredictor(NoiseSchedule schedule, double c, Prediction prediction) {
    this.schedule = schedule;
    this.c = c;
    this.prediction = prediction;
  }

  @Override
  public Prediction prediction() {
    return prediction;
  }

  /** ε at (x, t) for this data set, coordinate by coordinate. */
  double eps(double x, int t) {
    return (x - Math.sqrt(schedule.alphaBar(t)) * c) / Math.sqrt(schedule.oneMinusAlphaBar(t));
  }

  @Override
  public INDArray predict(INDArray xt, int[] t) {
    double[] x = Fixtures.values(xt);
    int per = x.length / t.length;
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      int tb = t[i / per];
      double eps = eps(x[i], tb);
      out[i] = switch (prediction) {
        case EPSILON -> eps;
        case X0 -> c;
        case V -> Math.sqrt(schedule.alphaBar(tb)) * eps
            - Math.sqrt(schedule.oneMinusAlphaBar(tb)) * c;
      };
    }
    calls.add(t[0]);
    return Nd4j.create(out, xt.shape(), 'c');
  }
}
