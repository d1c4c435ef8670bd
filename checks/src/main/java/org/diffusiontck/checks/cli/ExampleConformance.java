package org.diffusiontck.checks.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusiontck.checks.conform.Conformance;
import org.diffusiontck.checks.conform.KitPaths;
import org.diffusiontck.checks.report.ConsoleReport;
import org.diffusiontck.checks.report.Reports;
import org.diffusiontck.checks.report.Run;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.Status;

/**
 * The conformance run of the Python example (spec/examples/python) that {@code tck run} appends:
 * vectors and rules through the child-process protocol, its summary line and what failed, and its
 * reports under {@code <report-dir>/python-example} when reports are asked for.
 */
final class ExampleConformance {
  private ExampleConformance() {}

  /** Runs it and prints its summary; true if it passed (or python3 is not installed). */
  static boolean run(RuleOptions options, PrintWriter out, PrintWriter err) throws IOException {
    Path example = KitPaths.pythonExample();
    out.println();
    out.println("Conformance of the Python example (" + KitPaths.shown(example)
        + ") through spec/PROTOCOL.md:");
    if (!onPath("python3")) {
      out.println("  skipped: python3 is not on the PATH");
      out.flush();
      return true;
    }
    Conformance.Options conform = Conformance.Options.defaults().withRules(options.rules)
        .withSettings(options.settings());
    Run run = Conformance.run("python3 '" + example + "'", conform, ConsoleReport.progress(err));
    for (RuleResult r : run.results()) {
      if (r.status() == Status.FAIL || r.status() == Status.ERROR) {
        out.println("  " + r.info().id() + " " + r.status() + ": " + r.message());
      }
    }
    out.println("  " + run.summary() + " (" + run.millis() / 1000.0 + " s)");
    if (options.reportDir != null) {
      Path dir = options.reportDir.resolve("python-example");
      Reports.writeAll(run, dir);
      out.println("  reports: " + dir);
    }
    out.flush();
    return run.passed();
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
