package org.diffusiontck.checks.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.diffusiontck.reference.Tensors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code tck} command line. Each subcommand is one class, registered in the {@code
 * subcommands} list below or added by a {@link TckExtension} on the classpath; it writes its
 * result to {@code spec.commandLine().getOut()} and returns an {@link ExitCode}. Failures are
 * reported by {@link Failures}: one line on stderr.
 */
@Command(
    name = "tck",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = "Diffusion TCK: checks that an implementation of diffusion-model math"
        + " (DDPM, DDIM) is right.",
    footer = {
      "",
      "Exit codes: 0 success; 1 a check failed; 2 usage error or bad input;"
          + " 3 internal error of the kit."
    },
    subcommands = {
      HelpCommand.class,
      RunCommand.class,
      RulesCommand.class,
      ScheduleCommand.class,
      NoiseCommand.class,
      SampleCommand.class,
      VectorsCommand.class,
      ConformCommand.class,
      StudyCommand.class,
      TableCommand.class,
    })
public final class Tck implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = Failures.DEBUG_OPTION,
      scope = ScopeType.INHERIT,
      description = "On an internal error, print the stack trace (as does "
          + Failures.DEBUG_ENV + "=1).")
  private boolean debug;

  /** {@code tck} alone is a usage error: it needs a subcommand. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand");
  }

  /** Runs {@code tck} with {@code args} and exits with its {@link ExitCode}. */
  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(
            new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = outputChecked(out, err, execute(out, err, System.getenv(Failures.DEBUG_ENV), args));
    err.flush();
    System.exit(code);
  }

  /**
   * {@code code}, or {@link ExitCode#USAGE} with one line on {@code err} if writing to {@code out}
   * failed (a full disk, a closed pipe): a PrintWriter keeps its errors to itself until asked.
   */
  static int outputChecked(PrintWriter out, PrintWriter err, int code) {
    if (out.checkError()) {
      err.println("tck: cannot write to standard output (closed, or the disk is full)");
      return ExitCode.USAGE;
    }
    return code;
  }

  /**
   * Runs {@code tck} with {@code args}, writing results to {@code out} and failures to {@code
   * err}.
   *
   * @param debugEnv the value of the environment variable {@value Failures#DEBUG_ENV}, or null
   * @return the {@link ExitCode}
   */
  public static int execute(PrintWriter out, PrintWriter err, String debugEnv, String... args) {
    Failures failures = new Failures(err, debugEnv);
    return execute(commandLine(out, err, failures), failures, args);
  }

  /** Runs {@code tck}; what escapes picocli's handlers is reported as an internal error. */
  static int execute(CommandLine tck, Failures failures, String... args) {
    try {
      Tensors.useDoubles();
      return tck.execute(args);
    } catch (RuntimeException | Error e) {
      boolean debugOption = Arrays.asList(args).contains(Failures.DEBUG_OPTION);
      return failures.internalError("tck", e, debugOption);
    } finally {
      tck.getOut().flush();
    }
  }

  /**
   * A number option's value: a decimal number (with an exponent), Infinity or NaN, nothing else:
   * Java's own parser also takes "1e-4f", "0x1p3" and surrounding blanks.
   */
  static Double decimal(String text) {
    if (!text.matches("[+-]?(NaN|Infinity|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)")) {
      throw new picocli.CommandLine.TypeConversionException("'" + text + "' is not a number");
    }
    return Double.valueOf(text);
  }

  /** The {@code tck} command line, writing to {@code out} and {@code err}. */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, Failures failures) {
    CommandLine tck = new CommandLine(new Tck());
    for (TckExtension extension : ServiceLoader.load(TckExtension.class)) {
      extension.subcommands().forEach(tck::addSubcommand);
      extension.studies().forEach(tck.getSubcommands().get("study")::addSubcommand);
    }
    KebabCase.registerAll(tck);
    tck.registerConverter(Double.class, Tck::decimal);
    tck.registerConverter(double.class, Tck::decimal);
    return tck.setOut(out)
        .setErr(err)
        .setParameterExceptionHandler(failures)
        .setExecutionExceptionHandler(failures);
  }
}
