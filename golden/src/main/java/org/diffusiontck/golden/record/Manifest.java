package org.diffusiontck.golden.record;

import java.util.List;
import java.util.Map;
import org.diffusiontck.golden.model.Environment;

/**
 * A golden record's {@code manifest.json}: how the record was made, where it was made, what it
 * allows, and the SHA-256 of every file it holds.
 *
 * @param format the manifest's format version, {@value #FORMAT}
 * @param name the record's name
 * @param created when it was made (ISO 8601)
 * @param model the model
 * @param schedule the noise schedule
 * @param sampleShape the shape of one sample, [C, H, W]
 * @param seeds the portable-noise seeds, one sample per seed
 * @param noise how the noise is drawn from the seeds
 * @param conventions the conventions of the samplers and the bound
 * @param samplers the samplers
 * @param evaluation the evaluation batch, its noise, the loss curve and the bound
 * @param dataRange the range [lo, hi] the data lies in
 * @param environment where the record was made
 * @param tolerances the tolerances by environment key ({@link Environment#key()})
 * @param sound the bounds of the sound-model checks
 * @param files the SHA-256 of every file of the record, by path relative to it
 */
public record Manifest(
    int format,
    String name,
    String created,
    ModelRecord model,
    ScheduleRecord schedule,
    long[] sampleShape,
    long[] seeds,
    String noise,
    String conventions,
    List<SamplerSpec> samplers,
    Evaluation evaluation,
    double[] dataRange,
    Environment environment,
    Map<String, Tolerance> tolerances,
    SoundBounds sound,
    Map<String, String> files) {
  public static final int FORMAT = 1;
  public static final String FILE = "manifest.json";

  /** How x_T and the DDPM noise come from a seed s (spec/NOISE.md). */
  public static final String NOISE =
      "x_T of seed s: PortableNoise(s, 0).normal([1, C, H, W]); DDPM step noise of seed s: stream"
          + " (s, 1), one normal([1, C, H, W]) per step that adds noise, in step order; DDIM at"
          + " eta = 0 draws none. A batch stacks the seeds in the order listed.";

  /** The tolerance for the environment {@code key}; an error naming the keys there are. */
  public Tolerance tolerance(String key) {
    Tolerance t = tolerances.get(key);
    if (t == null) {
      throw new IllegalArgumentException("golden record " + name + " has no tolerances for"
          + " environment " + key + "; it has " + tolerances.keySet());
    }
    return t;
  }

  /** The sampler named {@code name}. */
  public SamplerSpec sampler(String name) {
    return samplers.stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("golden record " + this.name
            + " has no sampler " + name));
  }
}
