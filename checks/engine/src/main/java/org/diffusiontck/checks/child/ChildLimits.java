package org.diffusiontck.checks.child;

import java.time.Duration;

/**
 * How long a child process may take and how long its answers may be ({@code spec/PROTOCOL.md},
 * limits). The timeouts are a safety net against a child that hangs, not a measure of speed: a
 * child that is merely slow on a loaded machine must not be cut off.
 *
 * @param handshake how long the child may take to start and answer the handshake (importing a
 *     framework and loading a model on a cold machine can take minutes)
 * @param request how long one request after the handshake may take
 * @param maxLineBytes the longest answer line accepted, in bytes without the newline; a longer line
 *     (or an endless one) ends the child with "answer line longer than …"
 */
public record ChildLimits(Duration handshake, Duration request, long maxLineBytes) {
  /** The default handshake timeout: 300 s. */
  public static final Duration HANDSHAKE = Duration.ofSeconds(300);
  /** The default request timeout: 30 s. */
  public static final Duration REQUEST = Duration.ofSeconds(30);
  /** The default longest answer line: 256 MiB. */
  public static final long MAX_LINE_BYTES = 256L << 20;

  public ChildLimits {
    if (handshake.isNegative() || handshake.isZero()) {
      throw new IllegalArgumentException("the handshake timeout must be positive, got "
          + handshake);
    }
    if (request.isNegative() || request.isZero()) {
      throw new IllegalArgumentException("the request timeout must be positive, got " + request);
    }
    if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("the longest answer line must be in 1.."
          + (Integer.MAX_VALUE - 8) + " bytes, got " + maxLineBytes);
    }
  }

  public static ChildLimits defaults() {
    return new ChildLimits(HANDSHAKE, REQUEST, MAX_LINE_BYTES);
  }

  public ChildLimits withHandshake(Duration d) {
    return new ChildLimits(d, request, maxLineBytes);
  }

  public ChildLimits withRequest(Duration d) {
    return new ChildLimits(handshake, d, maxLineBytes);
  }

  public ChildLimits withMaxLineBytes(long n) {
    return new ChildLimits(handshake, request, n);
  }
}
