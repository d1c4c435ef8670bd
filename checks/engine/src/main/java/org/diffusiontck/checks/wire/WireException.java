package org.diffusiontck.checks.wire;

/** A line that does not follow {@code spec/PROTOCOL.md}: not JSON, or not the expected shape. */
public class WireException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WireException(String message) {
    super(message);
  }

  public WireException(String message, Throwable cause) {
    super(message, cause);
  }
}
