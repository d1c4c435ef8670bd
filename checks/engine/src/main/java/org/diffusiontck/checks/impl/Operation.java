package org.diffusiontck.checks.impl;

import java.util.Locale;

/**
 * The operations an implementation under test may offer; each is one request type of {@link
 * Requests} or, for the loops that call a model back, of {@link LoopRequests}. On the wire
 * ({@code spec/PROTOCOL.md}) an operation is its lower-case name.
 */
public enum Operation {
  /** The schedule tables: {@link Requests.Schedule}. */
  SCHEDULE,
  /** A sample of q(x_t | x_s): {@link Requests.ForwardSample}. */
  FORWARD_SAMPLE,
  /** The posterior q(x_s | x_t, x_0): {@link Requests.Posterior}. */
  POSTERIOR,
  /** A conversion between parameterizations: {@link Requests.Convert}. */
  CONVERT,
  /** The portable noise: {@link Requests.Noise}. */
  NOISE,
  /** The reverse process's log-variance: {@link Requests.ReverseLogVariance}. */
  REVERSE_LOG_VARIANCE,
  /** The KL divergence of two diagonal Gaussians: {@link Requests.Kl}. */
  KL,
  /** The prior term L_T of the bound: {@link Requests.PriorTerm}. */
  PRIOR_TERM,
  /** A step term L_{t−1} of the bound: {@link Requests.StepTerm}. */
  STEP_TERM,
  /** The decoder term L_0 of the bound: {@link Requests.DecoderNll}. */
  DECODER_NLL,
  /** One DDPM sampling step: {@link Requests.DdpmStep}. */
  DDPM_STEP,
  /** One DDIM sampling step: {@link Requests.DdimStep}. */
  DDIM_STEP,
  /** One DDIM inversion step: {@link Requests.DdimInvertStep}. */
  DDIM_INVERT_STEP,
  /** A sampler's timestep selection: {@link Requests.Timesteps}. */
  TIMESTEPS,
  /** The implementation's DDPM sampling loop: {@link LoopRequests.DdpmSample}. */
  DDPM_SAMPLE,
  /** The implementation's DDIM sampling loop: {@link LoopRequests.DdimSample}. */
  DDIM_SAMPLE,
  /** The implementation's DDIM inversion loop: {@link LoopRequests.DdimInvert}. */
  DDIM_INVERT;

  /**
   * Whether this is a loop operation, which calls the model back ({@link LoopRequests}).
   *
   * @return true for the three loop operations
   */
  public boolean loop() {
    return this == DDPM_SAMPLE || this == DDIM_SAMPLE || this == DDIM_INVERT;
  }

  /**
   * The name on the wire.
   *
   * @return the lower-case name, e.g. {@code forward_sample}
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
