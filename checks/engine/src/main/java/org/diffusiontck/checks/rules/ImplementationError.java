package org.diffusiontck.checks.rules;

/**
 * The implementation could not be asked: it crashed, hung, or answered with something unusable
 * (not JSON, NaN, the wrong shape). The rule is marked {@link Status#ERROR} with this reason and the
 * run goes on.
 */
public class ImplementationError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ImplementationError(String message) {
    super(message);
  }

  public ImplementationError(String message, Throwable cause) {
    super(message, cause);
  }
}
