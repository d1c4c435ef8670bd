package org.diffusiontck.checks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad arguments and bad input: exit code 2, nothing on stdout, and exactly one line on stderr,
 * {@code tck <subcommand>: <message>}, naming the offending option or value.
 */
class BadArgumentsTest {
  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        bad("tck schedule: ", "'foo'", "schedule", "foo", "--steps", "10"),
        bad("tck schedule: ", "got 0", "schedule", "linear", "--steps", "0"),
        bad("tck schedule: ", "'abc'", "schedule", "linear", "--steps", "abc"),
        bad("tck schedule: ", "'--steps=T'", "schedule", "linear"),
        bad("tck schedule: ", "'--bogus'", "schedule", "linear", "--steps", "3", "--bogus"),
        bad("tck schedule: ", "'xml'", "schedule", "linear", "--steps", "3", "--format", "xml"),
        bad("tck schedule: ", "--cosine-offset", "schedule", "linear", "--steps", "3",
            "--cosine-offset", "0.1"),
        bad("tck schedule: ", "--linear-endpoints", "schedule", "cosine", "--steps", "3",
            "--linear-endpoints", "fixed"),
        bad("tck schedule: ", "'FIXED'", "schedule", "linear", "--steps", "3",
            "--linear-endpoints", "FIXED"),
        bad("tck schedule: ", "got 1", "schedule", "linear", "--steps", "1",
            "--zero-terminal-snr"),
        bad("tck schedule: ", "got 1.5", "schedule", "cosine", "--steps", "3",
            "--cosine-offset", "1.5"),
        // β_end = 2 is outside (0, 1]: rejected by name before any β_t is formed.
        bad("tck schedule: ", "betaEnd must be in (0.0, 1.0], got 2.0", "schedule", "sigmoid",
            "--steps", "3", "--beta-end", "2"),
        bad("tck noise: ", "[2, 0]", "noise", "--seed", "1", "--shape", "2,0"),
        bad("tck noise: ", "'2,x'", "noise", "--seed", "1", "--shape", "2,x"),
        bad("tck noise: ", "'--seed=S'", "noise", "--shape", "2"),
        bad("tck noise: ", "'-9223372036854775809'", "noise", "--seed", "-9223372036854775809",
            "--shape", "2"),
        bad("tck rules: ", "'18446744073709551616'", "rules", "--seed", "18446744073709551616"),
        bad("tck noise: ", "'18446744073709551616'", "noise", "--seed", "18446744073709551616",
            "--shape", "2"),
        bad("tck noise: ", "--out", "noise", "--seed", "1", "--shape", "2", "--format", "npy"),
        bad("tck noise: ", "'--frobnicate'", "noise", "--seed", "1", "--shape", "2",
            "--frobnicate"),
        // a factor whose case count would overflow an int, or run for hours, is refused at once
        bad("tck rules: ", "--tries-factor must be positive and at most 10000, got 1.0E8",
            "rules", "--tries-factor", "1e8"),
        bad("tck rules: ", "--tries-factor must be positive and at most 10000, got 1.0E10",
            "rules", "--tries-factor", "1e10"),
        bad("tck conform: ", "--tries-factor must be positive and at most 10000, got Infinity",
            "conform", "--impl", "true", "--tries-factor", "Infinity"),
        bad("tck conform: ", "--handshake-timeout must be positive", "conform", "--impl", "true",
            "--handshake-timeout", "0"),
        bad("tck schedule: ", "'1e-4f' is not a number", "schedule", "linear", "--steps", "3",
            "--beta-start", "1e-4f"),
        bad("tck conform: ", "--vectors and --no-vectors exclude each other", "conform",
            "--impl", "true", "--vectors", "spec/vectors", "--no-vectors"),
        bad("tck conform: ", "--tolerance POST-1 is given twice", "conform", "--impl", "true",
            "--tolerance", "POST-1=1e-9:one", "--tolerance", "POST-1=1e-8:two"),
        // sizes no JVM holds are refused before any work, not an OutOfMemoryError (exit 3)
        bad("tck noise: ", "--shape [1000000000, 1000] needs about", "noise", "--seed", "1",
            "--shape", "1000000000,1000", "--format", "npy", "--out", "never.npy"),
        bad("tck schedule: ", "--steps 2000000000 needs about", "schedule", "linear", "--steps",
            "2000000000"),
        bad("tck: ", "'bogus'", "bogus"),
        bad("tck: ", "missing subcommand"));
  }

  private static Arguments bad(String prefix, String fragment, String... args) {
    return Arguments.of(prefix, fragment, args);
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("badArguments")
  void exitsWithTwoAndOneLineNamingTheProblem(String prefix, String fragment, String[] args) {
    Cli.Result result = Cli.run(args);

    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.err()).startsWith(prefix).contains(fragment).doesNotContain("\tat ");
  }
}
