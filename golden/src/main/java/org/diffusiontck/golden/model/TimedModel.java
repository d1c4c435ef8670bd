package org.diffusiontck.golden.model;

import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A model that counts its calls and the time spent in them (the model's share of a run). */
public final class TimedModel implements NoisePredictor {
  private final NoisePredictor model;
  private long calls;
  private long nanos;

  public TimedModel(NoisePredictor model) {
    if (model == null) {
      throw new IllegalArgumentException("model must not be null");
    }
    this.model = model;
  }

  @Override
  public Prediction prediction() {
    return model.prediction();
  }

  @Override
  public INDArray predict(INDArray xt, int[] t) {
    long started = System.nanoTime();
    try {
      return model.predict(xt, t);
    } finally {
      calls++;
      nanos += System.nanoTime() - started;
    }
  }

  /** How many times the model was called. */
  public long calls() {
    return calls;
  }

  /** The time spent in the model, in nanoseconds. */
  public long nanos() {
    return nanos;
  }
}
