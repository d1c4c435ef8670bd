package org.diffusiontck.checks.cli;

/** The exit codes of every {@code tck} command. */
public final class ExitCode {
  /** The command did what it was asked and every check it ran passed. */
  public static final int OK = 0;

  /** A check failed: the implementation under test disagrees with a rule. */
  public static final int CHECK_FAILED = 1;

  /** Usage error or bad input: an unknown option, a missing or malformed value, a bad file. */
  public static final int USAGE = 2;

  /** The kit itself failed unexpectedly (a bug or a broken installation). */
  public static final int INTERNAL_ERROR = 3;

  private ExitCode() {}
}
