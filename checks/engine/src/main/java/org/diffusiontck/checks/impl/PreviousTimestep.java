package org.diffusiontck.checks.impl;

/**
 * The timestep s a sampler steps to from a selected timestep t ({@code spec/CONVENTIONS.md}, "The
 * previous timestep of a strided step").
 */
public enum PreviousTimestep {
  /** The next element of the timestep list, 0 after the last (Song et al. 2021, §4.2). Default. */
  NEXT_SELECTED,
  /** s = max(t − ⌊T/N⌋, 0) (diffusers' DDIM). */
  FIXED_STRIDE
}
