package org.diffusiontck.reference.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.diffusiontck.reference.Require;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What the sampling loops share: argument checks, model calls, noise requests, the trajectory. */
final class Loop {
  private final boolean keepTrajectory;
  private final StepListener listener;
  private final List<SamplingResult.Point> points = new ArrayList<>();

  Loop(NoisePredictor model, INDArray start, int startT, boolean keepTrajectory,
      StepListener listener) {
    if (model == null || listener == null) {
      throw new IllegalArgumentException(
          "model and listener must not be null, got " + model + " and " + listener);
    }
    Require.batched("start", start);
    this.keepTrajectory = keepTrajectory;
    this.listener = listener;
    record(startT, start);
  }

  /** A loop that adds noise from {@code noise}, which must not be null. */
  static Loop sampling(NoisePredictor model, INDArray start, int startT, StepNoise noise,
      boolean keepTrajectory, StepListener listener) {
    if (noise == null) {
      throw new IllegalArgumentException("noise must not be null");
    }
    return new Loop(model, start, startT, keepTrajectory, listener);
  }

  /** The model output at (x, t) for every batch element, checked to have x's shape. */
  static INDArray predict(NoisePredictor model, INDArray x, int t) {
    INDArray out = model.predict(x, at(x, t));
    Require.sameShape("x", x, "model output", out);
    return out;
  }

  /** The model's variance output at (x, t), for learned variances. */
  static INDArray predictVariance(NoisePredictor model, INDArray x, int t) {
    INDArray out = ((VariancePredictor) model).predictVariance(x, at(x, t));
    Require.sameShape("x", x, "model variance output", out);
    return out;
  }

  /** The noise for a step: requested from the source when {@code used}, zeros otherwise. */
  static INDArray noise(StepNoise source, boolean used, int stepIndex, int t, INDArray x) {
    if (!used) {
      return Nd4j.zeros(x.dataType(), x.shape());
    }
    INDArray z = source.noise(stepIndex, t, x.shape());
    Require.sameShape("x", x, "noise", z);
    return z;
  }

  /** One timestep t per batch element of x. */
  static int[] at(INDArray x, int t) {
    int[] out = new int[(int) x.size(0)];
    Arrays.fill(out, t);
    return out;
  }

  /** Step {@code stepIndex} (reported with timestep t) produced x, which is at {@code landedT}. */
  void done(int stepIndex, int t, int landedT, INDArray x) {
    record(landedT, x);
    listener.afterStep(stepIndex, t);
  }

  SamplingResult finish(INDArray x) {
    return new SamplingResult(x, points);
  }

  private void record(int t, INDArray x) {
    if (keepTrajectory) {
      points.add(new SamplingResult.Point(t, x));
    }
  }
}
