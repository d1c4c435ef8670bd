package org.diffusiontck.checks.impl;

import java.util.Locale;

/**
 * The operations an implementation under test may offer; each is one request type of {@link
 * Requests}. On the wire ({@code spec/PROTOCOL.md}) an operation is its lower-case name.
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
  TIMESTEPS;

  /** The lower-case name, e.g. {@code forward_sample}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
