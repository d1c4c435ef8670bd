package org.diffusiontck.golden.record;

/**
 * The figures of a run on the evaluation batch.
 *
 * @param boundBitsPerDim the variational bound (Ho et al. 2020, eq. 5) in bits per dimension,
 *     averaged over the batch: fixed-small variance, discretized decoder
 * @param boundBitsPerDimPerImage the same per image of the batch
 * @param lossMean the denoising loss averaged over t = 1..T
 */
public record Metrics(double boundBitsPerDim, double[] boundBitsPerDimPerImage, double lossMean) {}
