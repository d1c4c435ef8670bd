package org.diffusiontck.checks.impl;

/**
 * Where an implementation's {@code forward_sample} may start (protocol version 2): from any x_s,
 * q(x_t | x_s), or from the data only, q(x_t | x_0), as the {@code q_sample}/{@code add_noise} of
 * improved-diffusion, diffusers and denoising-diffusion-pytorch.
 */
public enum ForwardSampleFrom {
  /** Any {@code 0 ≤ s < t} (version 1). */
  ANY,
  /** s = 0 only. */
  DATA
}
