package org.diffusiontck.checks.impl;

/** q(x_s | x_t, x_0): the mean μ̃ (x_t's shape) and the variance β̃_{t|s} per batch element. */
public record PosteriorResult(Tensor mean, double[] variance) {}
