package org.diffusiontck.reference.sampling;

/** Progress of a sampling loop: called after each step, e.g. to show progress on long runs. */
@FunctionalInterface
public interface StepListener {
  /** Does nothing. */
  StepListener NONE = (stepIndex, t) -> { };

  /** Step {@code stepIndex} (0-based), which left timestep t, is done. */
  void afterStep(int stepIndex, int t);
}
