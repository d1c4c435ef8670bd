package org.diffusiontck.reference.sampling;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The end of a sampling (or inversion) loop and, when asked for, its trajectory: x at each
 * visited timestep, the start included, in the order visited (otherwise an empty list).
 */
public record SamplingResult(INDArray sample, List<Point> trajectory) {
  public SamplingResult {
    trajectory = List.copyOf(trajectory);
  }

  /** x at timestep t. */
  public record Point(int t, INDArray x) {}
}
