package org.diffusiontck.checks.impl;

import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.schedule.LinearEndpoints;

/**
 * The conventions an implementation follows wherever well-known codebases disagree ({@code
 * spec/CONVENTIONS.md}); rules compute their expectations under the declared choice.
 */
public record Conventions(LinearEndpoints linearEndpoints, T1LogVariance t1LogVariance) {
  /** The reference's defaults. */
  public static Conventions defaults() {
    return new Conventions(LinearEndpoints.FIXED, T1LogVariance.CLIP_TO_BETA_TILDE_2);
  }
}
