package org.diffusiontck.golden.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.diffusiontck.golden.check.Check;
import org.diffusiontck.golden.report.GoldenReports;
import org.diffusiontck.golden.report.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tck golden}: golden records of trained checkpoints and the exact oracles. */
@Command(
    name = "golden",
    sortOptions = false,
    description = {
      "Golden checks of a trained checkpoint (ONNX, or a process serving it) or an exact oracle:"
          + " record what it samples with the reference from portable noise, verify a model"
          + " against the record, or compare another pipeline's samples with it"
          + " (golden/README.md).",
      ""
    },
    subcommands = {RecordCommand.class, VerifyCommand.class, CompareCommand.class})
public final class GoldenCommand implements Callable<Integer> {
  /** The system property the launcher sets to the repository's root. */
  static final String HOME_PROPERTY = "tck.home";
  /** The shipped record, relative to the repository's root. */
  static final String SHIPPED_RECORD = "golden/digits";

  @Spec private CommandSpec spec;

  /** {@code tck golden} alone is a usage error: it needs a subcommand. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand (record, verify or"
        + " compare)");
  }

  /** The shipped record: under the launcher's {@value #HOME_PROPERTY}, else the working dir. */
  static Path shippedRecord() {
    String home = System.getProperty(HOME_PROPERTY);
    return home != null ? Path.of(home, SHIPPED_RECORD) : Path.of(SHIPPED_RECORD);
  }

  /**
   * Prints a verdict: every check (only the failed ones if {@code quiet}), then the notes, where
   * the reports are and the summary; returns the exit code.
   */
  static int print(Verdict v, RecordOptions options, PrintWriter out) {
    for (Check c : v.checks()) {
      if (options.quiet && c.passed()) {
        continue;
      }
      out.printf("%-4s %-34s %s%n", c.passed() ? "ok" : "FAIL", c.id(), c.observed());
      if (!c.passed()) {
        out.printf("     allowed: %s%s%n", c.allowed(),
            c.where().isEmpty() ? "" : "; where: " + c.where());
      }
    }
    v.notes().forEach(n -> out.println("note: " + n));
    out.println("report: " + options.report.resolve(GoldenReports.HTML));
    out.println(v.summary());
    out.flush();
    return v.passed() ? 0 : 1;
  }
}
