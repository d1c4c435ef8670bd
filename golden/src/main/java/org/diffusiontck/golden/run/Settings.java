package org.diffusiontck.golden.run;

import java.util.List;
import org.diffusiontck.golden.record.SamplerSpec;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a golden run computes: the samplers from the seeds' noise, and the loss and bound on the
 * evaluation batch.
 *
 * @param schedule the noise schedule
 * @param sampleShape the shape of one sample [C, H, W]
 * @param seeds one sample per seed
 * @param samplers the samplers, each run once on all seeds
 * @param evaluationBatch x_0 [B, C, H, W] on the 8-bit grid
 * @param evaluationSeed the seed of the ε_t streams
 */
public record Settings(
    NoiseSchedule schedule,
    long[] sampleShape,
    long[] seeds,
    List<SamplerSpec> samplers,
    INDArray evaluationBatch,
    long evaluationSeed) {
  public Settings {
    if (seeds.length < 2) {
      throw new IllegalArgumentException("a golden run needs at least 2 seeds (different seeds"
          + " must give different samples), got " + seeds.length);
    }
    if (samplers.stream().noneMatch(s -> s.kind().equals(SamplerSpec.DDIM) && s.eta() == 0)) {
      throw new IllegalArgumentException("a golden run needs a DDIM sampler at eta = 0 (for"
          + " determinism and inversion), got " + samplers);
    }
  }
}
