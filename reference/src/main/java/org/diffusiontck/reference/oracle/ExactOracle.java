package org.diffusiontck.reference.oracle;

import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.diffusiontck.reference.schedule.NoiseSchedule;

/**
 * A model whose output is the exact optimum for its data distribution: the noise prediction ε* =
 * E[ε | x_t], the minimizer of Ho et al. 2020, eq. 14, with no training and no error. The oracles
 * give golden runs whose right answer is known.
 *
 * <p>Derivation: {@code spec/derivations/gaussian-oracle.md} §1.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public abstract sealed class ExactOracle implements NoisePredictor
    permits GaussianData, FiniteData {
  final NoiseSchedule schedule;
  /** The shape of one data point, the trailing shape of x_t. */
  final SampleShape shape;

  ExactOracle(NoiseSchedule schedule, SampleShape shape) {
    if (schedule == null) {
      throw new IllegalArgumentException("schedule must not be null");
    }
    this.schedule = schedule;
    this.shape = shape;
  }

  /** The schedule the data is diffused on. */
  public NoiseSchedule schedule() {
    return schedule;
  }

  /** The shape of one data point (x_t is [B, …] of this trailing shape). */
  public long[] sampleShape() {
    return shape.shape();
  }

  /** ε: the oracles predict the noise. */
  @Override
  public Prediction prediction() {
    return Prediction.EPSILON;
  }
}
