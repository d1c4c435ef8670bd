package org.diffusiontck.checks.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How {@code tck} reports a failure: one line on stderr, {@code tck <subcommand>: <message>},
 * and an exit code. Bad arguments and bad input ({@link ParameterException}, {@link
 * IllegalArgumentException}, {@link IOException}) exit with {@link ExitCode#USAGE}; anything else
 * is a failure of the kit itself and exits with {@link ExitCode#INTERNAL_ERROR}, with a hint that
 * {@value #DEBUG_OPTION} or the environment variable {@value #DEBUG_ENV} prints the stack trace.
 */
final class Failures implements IParameterExceptionHandler, IExecutionExceptionHandler {
  static final String DEBUG_OPTION = "--debug";
  static final String DEBUG_ENV = "TCK_DEBUG";

  private final PrintWriter err;
  private final boolean debugFromEnvironment;

  /**
   * @param err where failures are reported
   * @param debugEnv the value of {@value #DEBUG_ENV}: set and not empty means debug
   */
  Failures(PrintWriter err, String debugEnv) {
    this.err = err;
    this.debugFromEnvironment = debugEnv != null && !debugEnv.isEmpty();
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine command = ex.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    report(name, message(ex) + " (see '" + name + " --help')");
    return ExitCode.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine command, ParseResult parsed) {
    String name = command.getCommandSpec().qualifiedName();
    if (ex instanceof IllegalArgumentException || ex instanceof IOException) {
      report(name, kind(ex) + message(ex));
      printStackTraceIf(debugRequested(parsed), ex);
      return ExitCode.USAGE;
    }
    return internalError(name, ex, debugRequested(parsed));
  }

  /** Reports a failure of the kit itself; prints the stack trace if asked to. */
  int internalError(String name, Throwable ex, boolean debugOption) {
    report(name, "internal error: " + message(ex) + " (" + DEBUG_OPTION + " or " + DEBUG_ENV
        + "=1 prints the stack trace)");
    printStackTraceIf(debugOption, ex);
    return ExitCode.INTERNAL_ERROR;
  }

  private void printStackTraceIf(boolean debugOption, Throwable ex) {
    if (debugOption || debugFromEnvironment) {
      ex.printStackTrace(err);
      err.flush();
    }
  }

  /** Whether {@value #DEBUG_OPTION} was given to the command or any of its parents. */
  private static boolean debugRequested(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(DEBUG_OPTION)) {
        return true;
      }
    }
    return false;
  }

  private void report(String name, String message) {
    err.println(name + ": " + message);
    err.flush();
  }

  /**
   * What a file-system failure was, in words, before its message (which is only the path): "no
   * such file: x.npy"; nothing for other failures, whose message says it all.
   */
  private static String kind(Exception ex) {
    if (ex instanceof NoSuchFileException) {
      return "no such file or folder: ";
    } else if (ex instanceof AccessDeniedException) {
      return "permission denied: ";
    } else if (ex instanceof FileAlreadyExistsException) {
      return "already exists: ";
    } else if (ex instanceof NotDirectoryException) {
      return "not a folder: ";
    } else if (ex instanceof FileSystemException f && f.getReason() == null) {
      return "cannot use the file: ";
    }
    return "";
  }

  /** The exception's message on one line; for an unexpected exception, with its class. */
  private static String message(Throwable ex) {
    boolean expected =
        ex instanceof ParameterException || ex instanceof IllegalArgumentException
            || ex instanceof IOException;
    String text = expected && ex.getMessage() != null ? ex.getMessage() : ex.toString();
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
