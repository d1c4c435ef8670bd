package org.diffusiontck.checks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;

/** Help, version, the enum values shown in help, and the reporting of internal errors. */
class TckTest {
  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @Test
  void helpListsTheSubcommandsAndTheExitCodes() {
    Cli.Result result = Cli.run("--help");

    assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(result.err()).isEmpty();
    assertThat(result.out())
        .startsWith("Usage: tck")
        .contains("schedule", "noise", "--debug")
        .contains("2 usage error or bad input");
  }

  @Test
  void versionIsTheProjectVersionFilteredByTheBuild() {
    Cli.Result result = Cli.run("--version");

    assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(result.out().lines().findFirst().orElseThrow())
        .matches("Diffusion TCK \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  /**
   * Every enum-valued option or parameter is converted from kebab case; its help must name each
   * accepted value, and each value named must be accepted.
   */
  @Test
  void helpNamesEveryAcceptedValueOfEveryEnumOption() {
    CommandLine tck = Tck.commandLine(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), new Failures(new PrintWriter(new StringWriter()),
            null));
    int enumArgs = 0;
    for (CommandLine sub : tck.getSubcommands().values()) {
      String help = sub.getUsageMessage();
      for (ArgSpec arg : sub.getCommandSpec().args()) {
        if (arg.type().isEnum()) {
          enumArgs++;
          for (Object constant : arg.type().getEnumConstants()) {
            String kebab = KebabCase.of((Enum<?>) constant);
            assertThat(help).as(sub.getCommandName() + " help").contains(kebab);
          }
        }
      }
    }
    assertThat(enumArgs).as("schedule: SCHEDULE, --format, --linear-endpoints; noise: --format;"
        + " sample: --oracle, --sampler, --schedule, --spacing, --clip, --final-alpha-bar,"
        + " --previous-timestep, --variance").isEqualTo(12);
  }

  @Test
  void aSubcommandsHelpExitsWithZero() {
    for (String sub : new String[] {"schedule", "noise"}) {
      Cli.Result result = Cli.run(sub, "--help");
      assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
      assertThat(result.out()).startsWith("Usage: tck " + sub);
      assertThat(result.err()).isEmpty();
    }
  }

  @Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    private final RuntimeException failure;

    Boom(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() {
      throw failure;
    }
  }

  private static Cli.Result runWith(Callable<Integer> sub, String debugEnv, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Failures failures = new Failures(new PrintWriter(err), debugEnv);
    CommandLine tck = Tck.commandLine(new PrintWriter(out), new PrintWriter(err), failures);
    tck.addSubcommand(sub);
    int code = Tck.execute(tck, failures, args);
    return new Cli.Result(code, out.toString(), err.toString());
  }

  @Test
  void anUnexpectedExceptionIsOneLineWithAHintAndExitCodeThree() {
    Cli.Result result = runWith(new Boom(new IllegalStateException("kaboom")), null, "boom");

    assertThat(result.exitCode()).isEqualTo(ExitCode.INTERNAL_ERROR);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.err())
        .startsWith("tck boom: internal error: java.lang.IllegalStateException: kaboom")
        .contains("--debug", "TCK_DEBUG=1");
  }

  @Test
  void debugOptionOrEnvironmentPrintsTheStackTrace() {
    Boom boom = new Boom(new IllegalStateException("kaboom"));
    for (Cli.Result result :
        Arrays.asList(
            runWith(boom, null, "boom", "--debug"),
            runWith(boom, null, "--debug", "boom"),
            runWith(boom, "1", "boom"))) {
      assertThat(result.exitCode()).isEqualTo(ExitCode.INTERNAL_ERROR);
      assertThat(result.errLines().get(0)).startsWith("tck boom: internal error:");
      assertThat(result.errLines()).hasSizeGreaterThan(2);
      assertThat(result.errLines().get(1)).isEqualTo("java.lang.IllegalStateException: kaboom");
      assertThat(result.errLines().get(2)).startsWith("\tat ");
    }
  }

  @Test
  void anIllegalArgumentFromASubcommandIsBadInput() {
    Cli.Result result =
        runWith(new Boom(new IllegalArgumentException("x must be finite, got NaN")), null, "boom");

    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).isEqualTo("tck boom: x must be finite, got NaN\n");
  }

  @Command(name = "crash")
  static final class Crash implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new LinkageError("native library missing");
    }
  }

  @Test
  void anErrorOutsideTheHandlersIsStillOneLineAndExitCodeThree() {
    Cli.Result result = runWith(new Crash(), null, "crash");

    assertThat(result.exitCode()).isEqualTo(ExitCode.INTERNAL_ERROR);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.err())
        .startsWith("tck: internal error: java.lang.LinkageError: native library missing");
  }
}
