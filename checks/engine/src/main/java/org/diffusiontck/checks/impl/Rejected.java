package org.diffusiontck.checks.impl;

/**
 * The implementation refused a request with an error of its own (for a JVM implementation, an
 * {@link IllegalArgumentException}; for a child process, an error response). Some rules expect
 * exactly this, e.g. ε → x_0 where ᾱ_t = 0.
 */
public class Rejected extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal.
   *
   * @param message the implementation's reason, shown in the report
   */
  public Rejected(String message) {
    super(message);
  }
}
