package org.diffusiontck.checks.impl;

/**
 * A loop operation with all its inputs, noise included; the model it calls back comes with the
 * call. The same record is a method call on a JVM implementation and one line of {@code
 * spec/PROTOCOL.md} (section 9), during which the child asks the kit for the model's output.
 */
public interface LoopRequest {
  /**
   * The loop operation this request is.
   *
   * @return the operation
   */
  Operation operation();

  /**
   * The schedule.
   *
   * @return the schedule the loop and the model share
   */
  ScheduleSpec schedule();

  /**
   * What the model outputs.
   *
   * @return ε̂, x̂_0 or v̂
   */
  Prediction prediction();

  /**
   * The starting sample.
   *
   * @return x at the loop's first timestep
   */
  Tensor x();

  /**
   * The timestep selection the loop runs over.
   *
   * @return the selection's request
   */
  Requests.Timesteps selection();

  /**
   * Runs the loop of {@code impl} against {@code model}.
   *
   * @param impl the implementation under test
   * @param model the kit's model
   * @return the loop's final sample
   */
  Tensor applyTo(DiffusionImplementation impl, Model model);
}
