package org.diffusiontck.checks.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs {@code tck} in this JVM and captures what it writes. */
final class Cli {
  /** What one run of {@code tck} returned and wrote. */
  record Result(int exitCode, String out, String err) {
    /** The lines written to stderr. */
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  private Cli() {}

  /** Runs {@code tck args} with {@value Failures#DEBUG_ENV} unset. */
  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Tck.execute(new PrintWriter(out), new PrintWriter(err), null, args);
    return new Result(code, out.toString(), err.toString());
  }
}
