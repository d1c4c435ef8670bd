package org.diffusiontck.checks.child;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The last {@value #CAPACITY} bytes a child wrote to stderr, for error messages: the stream is
 * drained continuously (so a chatty child never blocks on a full pipe) and only the tail is kept.
 */
final class StderrTail {
  static final int CAPACITY = 4096;
  private static final int LINES = 6;

  private final byte[] ring = new byte[CAPACITY];
  private long written;

  /** Reads {@code err} to its end, keeping the tail. */
  void drain(InputStream err) {
    byte[] buf = new byte[8192];
    try (err) {
      for (int n = err.read(buf); n >= 0; n = err.read(buf)) {
        append(buf, n);
      }
    } catch (IOException e) {
      // the child is gone
    }
  }

  synchronized void clear() {
    written = 0;
  }

  private synchronized void append(byte[] buf, int n) {
    for (int i = 0; i < n; i++) {
      ring[(int) (written++ % CAPACITY)] = buf[i];
    }
  }

  /** The last few non-empty lines, joined by " | " (empty if nothing was written). */
  synchronized String tail() {
    int n = (int) Math.min(written, CAPACITY);
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = ring[(int) ((written - n + i) % CAPACITY)];
    }
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\\R");
    return Arrays.stream(lines, Math.max(0, lines.length - LINES), lines.length)
        .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.joining(" | "));
  }
}
