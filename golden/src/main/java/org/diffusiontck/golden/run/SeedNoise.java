package org.diffusiontck.golden.run;

import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.sampling.StepNoise;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The noise of a golden run, per seed s so that any batching reproduces it ({@code
 * Manifest.NOISE}): x_T from the portable stream (s, 0), and the sampler's step noise from the
 * stream (s, 1), one sample's worth per request. A batch stacks the seeds in order.
 */
public final class SeedNoise {
  /** The stream of x_T. */
  public static final long START_STREAM = 0;
  /** The stream of the samplers' step noise. */
  public static final long STEP_STREAM = 1;

  private SeedNoise() {}

  /** x_T for every seed, [S, …sampleShape]. */
  public static INDArray start(long[] seeds, long[] sampleShape) {
    PortableNoise[] streams = streams(seeds, START_STREAM);
    return draw(streams, sampleShape);
  }

  /** Fresh step-noise streams (s, 1) for every seed, each drawn once per request. */
  public static StepNoise steps(long[] seeds) {
    PortableNoise[] streams = streams(seeds, STEP_STREAM);
    return (stepIndex, t, shape) -> {
      long[] one = java.util.Arrays.copyOfRange(shape, 1, shape.length);
      return draw(streams, one);
    };
  }

  private static PortableNoise[] streams(long[] seeds, long stream) {
    PortableNoise[] out = new PortableNoise[seeds.length];
    for (int i = 0; i < seeds.length; i++) {
      out[i] = new PortableNoise(seeds[i], stream);
    }
    return out;
  }

  /** The next sample's worth of normals from each stream, stacked: [S, …sampleShape]. */
  private static INDArray draw(PortableNoise[] streams, long[] sampleShape) {
    long d = 1;
    for (long n : sampleShape) {
      d = Math.multiplyExact(d, n);
    }
    double[] data = new double[Math.toIntExact(streams.length * d)];
    for (int i = 0; i < streams.length; i++) {
      System.arraycopy(streams[i].normals((int) d), 0, data, (int) (i * d), (int) d);
    }
    long[] shape = new long[sampleShape.length + 1];
    shape[0] = streams.length;
    System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
    return Nd4j.create(data, shape, 'c');
  }
}
