package org.diffusiontck.checks.impl;

/**
 * Whether the linear schedule's endpoints are rescaled by 1000/T ({@code spec/CONVENTIONS.md},
 * "Linear schedule endpoints when T ≠ 1000").
 */
public enum LinearEndpoints {
  /** β_1 and β_T as given whatever T (Ho et al. 2020; diffusers). Default. */
  FIXED,
  /** Both endpoints times 1000/T (improved-diffusion). */
  SCALED_BY_1000_OVER_T
}
