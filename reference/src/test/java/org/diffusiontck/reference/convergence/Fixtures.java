package org.diffusiontck.reference.convergence;

import java.util.Arrays;
import org.diffusiontck.reference.oracle.GaussianData;
import org.diffusiontck.reference.sampling.StepNoise;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What the sampler-against-oracle tests share. */
final class Fixtures {
  /** Ho et al. 2020's schedule: linear β from 1e-4 to 0.02, T = 1000. */
  static final NoiseSchedule LINEAR = Schedules.linear(1000);

  /** Standard deviations s of the Gaussian data, one per coordinate, over an order of 10. */
  static final double[] S = {0.25, 0.5, 1.0, 2.0};

  /** Means μ of the Gaussian data, one per coordinate. */
  static final double[] MU = {0.5, -0.3, 0.0, 1.0};

  /** For deterministic samplers: any noise request is a failure. */
  static final StepNoise NO_NOISE = (k, t, shape) -> {
    throw new AssertionError("a deterministic sampler asked for noise at step " + k);
  };

  private Fixtures() {}

  /** Data N(μ, diag(s²)) of shape [D] diffused on {@link #LINEAR}. */
  static GaussianData gaussian(double[] mu, double[] s) {
    return new GaussianData(LINEAR, Nd4j.createFromArray(mu), Nd4j.createFromArray(s));
  }

  /** The coordinates of x in C order. */
  static double[] values(INDArray x) {
    return x.dup('c').data().asDouble();
  }

  /** t for every one of n batch elements. */
  static int[] filled(int n, int t) {
    int[] out = new int[n];
    Arrays.fill(out, t);
    return out;
  }

  /**
   * max over the batch of |x − y| at coordinate i, for each coordinate of tensors [B, D]: one
   * error per coordinate.
   */
  static double[] maxErrorPerCoordinate(INDArray x, INDArray y) {
    double[] a = values(x);
    double[] b = values(y);
    int d = (int) x.size(1);
    double[] out = new double[d];
    for (int j = 0; j < a.length; j++) {
      out[j % d] = Math.max(out[j % d], Math.abs(a[j] - b[j]));
    }
    return out;
  }

  /** max |x − y| over all coordinates. */
  static double maxError(INDArray x, INDArray y) {
    double[] a = values(x);
    double[] b = values(y);
    double max = 0.0;
    for (int j = 0; j < a.length; j++) {
      max = Math.max(max, Math.abs(a[j] - b[j]));
    }
    return max;
  }
}
