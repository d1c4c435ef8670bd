package org.diffusiontck.checks.report;

import java.io.PrintWriter;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.Status;

/**
 * The console view: progress on stderr while rules run, then a compact table (ID, result, worst
 * absolute and relative error observed, the largest fraction of the tolerance used — "OF TOL", at
 * most 1 for a pass — the tolerance, statement and route) and, for each failure or error, what went
 * wrong.
 */
public final class ConsoleReport {
  private ConsoleReport() {}

  /** A listener printing "[ 3/40] POST-1 …" lines on {@code err}. */
  public static RuleRunner.Listener progress(PrintWriter err) {
    return new RuleRunner.Listener() {
      @Override
      public void started(RuleInfo info, int index, int total) {
        err.printf("[%2d/%d] %-16s ", index + 1, total, info.id());
        err.flush();
      }

      @Override
      public void finished(RuleResult result, int index, int total) {
        err.printf("%-5s %6d ms%n", result.status(), result.millis());
      }
    };
  }

  public static void print(Run run, PrintWriter out) {
    out.println("Diffusion TCK: " + run.implementation() + " (" + run.dtype() + "), seed "
        + run.settings().seed());
    out.printf("%-16s %-6s %-9s %-9s %-7s %-20s %s%n", "RULE", "RESULT", "WORST ABS",
        "WORST REL", "OF TOL", "TOLERANCE", "STATEMENT / ROUTE");
    for (RuleResult r : run.results()) {
      out.printf("%-16s %-6s %-9s %-9s %-7s %-20s %s%n", r.info().id(), r.status(),
          Format.error(r, r.worstAbs()), Format.error(r, r.worstRel()),
          Format.error(r, r.worstRatio()), Format.cut(Format.tolerance(r), 20),
          Format.cut(r.info().statement(), 90));
      out.printf("%-72s route: %s%n", "", Format.cut(r.info().route(), 90));
    }
    for (RuleResult r : run.results()) {
      if (r.status() == Status.FAIL || r.status() == Status.ERROR) {
        out.println();
        out.println(r.info().id() + " " + r.status() + ": " + r.message());
        if (r.tolerance() != null) {
          out.println("  tolerance: " + r.tolerance() + " (" + r.tolerance().why() + ")");
        }
        if (r.counterexample() != null) {
          out.println("  counterexample: " + r.counterexample());
        }
      }
    }
    for (RuleResult r : run.results()) {
      if (r.status() == Status.SKIP) {
        out.println(r.info().id() + " skipped: " + r.message());
      }
    }
    run.settings().overrides().forEach((id, o) -> out.println(
        "tolerance override " + id + " = " + o.value() + ": " + o.reason()));
    out.println("time: " + run.millis() / 1000.0 + " s; " + run.count(Status.FAIL) + " failures, "
        + run.count(Status.ERROR) + " errors");
    out.println(run.summary());
  }
}
