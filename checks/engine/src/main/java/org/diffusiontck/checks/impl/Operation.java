package org.diffusiontck.checks.impl;

import java.util.Locale;

/**
 * The operations an implementation under test may offer; each is one request type of {@link
 * Requests} or, for the loops that call a model back, of {@link LoopRequests}. On the wire ({@code spec/PROTOCOL.md}) an operation is its lower-case name.
 */
public enum Operation {
  SCHEDULE,
  FORWARD_SAMPLE,
  POSTERIOR,
  CONVERT,
  NOISE,
  REVERSE_LOG_VARIANCE,
  KL,
  PRIOR_TERM,
  STEP_TERM,
  DECODER_NLL,
  DDPM_STEP,
  DDIM_STEP,
  DDIM_INVERT_STEP,
  TIMESTEPS,
  DDPM_SAMPLE,
  DDIM_SAMPLE,
  DDIM_INVERT;

  /** Whether this is a loop operation, which calls the model back ({@link LoopRequests}). */
  public boolean loop() {
    return this == DDPM_SAMPLE || this == DDIM_SAMPLE || this == DDIM_INVERT;
  }

  /** The lower-case name, e.g. {@code forward_sample}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
