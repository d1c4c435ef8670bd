package org.diffusiontck.checks.impl;

/**
 * A loop operation with all its inputs, noise included; the model it calls back comes with the
 * call. The same record is a method call on a JVM implementation and one line of {@code
 * spec/PROTOCOL.md} (section 9), during which the child asks the kit for the model's output.
 */
public interface LoopRequest {
  Operation operation();

  /** The timestep selection the loop runs over. */
  Requests.Timesteps selection();

  /** Runs the loop of {@code impl} against {@code model}; returns its final sample. */
  Tensor applyTo(DiffusionImplementation impl, Model model);
}
