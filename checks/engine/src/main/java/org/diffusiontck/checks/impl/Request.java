package org.diffusiontck.checks.impl;

/**
 * One operation with all its inputs, noise included. The same record is a method call on a JVM
 * implementation, one line of {@code spec/PROTOCOL.md} for a child process, and the input half of
 * a recorded test vector.
 *
 * @param <R> the response type
 */
public interface Request<R> {
  /**
   * The operation this request asks for.
   *
   * @return the operation
   */
  Operation operation();

  /**
   * Sends this request to {@code impl}.
   *
   * @param impl the implementation under test
   * @return its answer
   */
  R applyTo(DiffusionImplementation impl);
}
