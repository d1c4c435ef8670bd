package org.diffusiontck.reference.sampling;

import org.diffusiontck.reference.noise.PortableNoise;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The standard-normal noise z a sampler adds on each step, supplied from outside so that every run
 * is reproducible. A sampler asks for it exactly once on each step whose noise term is added (DDPM:
 * every step that does not land on t = 0; DDIM: every step with σ &gt; 0), in step order, and never
 * otherwise.
 */
@FunctionalInterface
public interface StepNoise {
  /** Noise of the given shape for the step with index {@code stepIndex}, leaving timestep t. */
  INDArray noise(int stepIndex, int t, long[] shape);

  /** The next tensor of one portable stream on each request ({@code spec/NOISE.md}). */
  static StepNoise from(PortableNoise stream) {
    return (stepIndex, t, shape) -> stream.normal(shape);
  }
}
