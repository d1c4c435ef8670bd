package org.diffusiontck.checks.rules;

/** How a rule's verdict counts. */
public enum Level {
  /** Every implementation of the operations involved must pass. */
  REQUIRED,
  /** Applies to an optional capability; skipped when the capability is not declared. */
  OPTIONAL,
  /** A Monte Carlo rule: a fixed seed and a stated false-alarm probability (at most 1e-6). */
  STATISTICAL
}
