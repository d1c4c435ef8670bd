package org.diffusiontck.golden.record;

/**
 * The fixed evaluation batch of a record and the noise it is diffused with: ε_t =
 * PortableNoise(noiseSeed, t).normal([B, C, H, W]) for t = 1..T (spec/NOISE.md).
 *
 * @param file the batch x_0 [B, C, H, W], float64 .npy on the 8-bit grid, relative to the record
 * @param noiseSeed the seed of the ε_t streams
 * @param loss the per-timestep denoising loss [T], float64 .npy, relative to the record
 * @param metrics the JSON file holding the bound, relative to the record
 */
public record Evaluation(String file, long noiseSeed, String loss, String metrics) {}
