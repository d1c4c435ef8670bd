package org.diffusiontck.checks.report;

import java.io.IOException;
import java.io.Writer;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.Status;

/**
 * A Markdown summary for a CI job summary page: the verdict, a table of every rule, and the details
 * of failures. Kept well under 1 MiB: long messages and counterexamples are cut.
 */
public final class MarkdownReport {
  /** Per-field cut, so that even hundreds of failing rules stay far below 1 MiB. */
  private static final int MAX_FIELD = 2_000;

  private MarkdownReport() {}

  public static void write(Run run, Writer w) throws IOException {
    w.write("# Diffusion TCK: " + (run.passed() ? "PASSED" : "FAILED") + "\n\n");
    w.write("Implementation **" + md(run.implementation()) + "** (" + run.dtype() + "), seed "
        + run.settings().seed() + ", " + run.millis() / 1000.0 + " s. " + run.summary() + ".\n\n");
    w.write("| Rule | Result | Worst abs. error | Worst rel. error | Of tolerance | Tolerance |"
        + " Statement |\n");
    w.write("|---|---|---|---|---|---|---|\n");
    for (RuleResult r : run.results()) {
      w.write("| " + r.info().id() + " | " + icon(r.status()) + " | "
          + Format.error(r, r.worstAbs()) + " | " + Format.error(r, r.worstRel()) + " | "
          + Format.error(r, r.worstRatio()) + " | " + md(Format.tolerance(r)) + " | " + md(r.info().statement()) + " |\n");
    }
    for (RuleResult r : run.results()) {
      if (r.status() == Status.FAIL || r.status() == Status.ERROR) {
        w.write("\n## " + r.info().id() + " " + r.status() + "\n\n");
        w.write(md(Format.cut(r.message(), MAX_FIELD)) + "\n\n");
        if (r.tolerance() != null) {
          w.write("- tolerance: " + md(r.tolerance().toString()) + " (" + md(r.tolerance().why())
              + ")\n");
        }
        if (r.counterexample() != null) {
          w.write("- counterexample: `" + Format.cut(r.counterexample(), MAX_FIELD)
              .replace('`', '\'') + "`\n");
        }
        w.write("- guards: " + md(r.info().guards()) + "\n");
      }
    }
    if (!run.settings().overrides().isEmpty()) {
      w.write("\n## Tolerance overrides\n\n");
      for (var e : run.settings().overrides().entrySet()) {
        w.write("- " + e.getKey() + " = " + e.getValue().value() + ": "
            + md(e.getValue().reason()) + "\n");
      }
    }
  }

  private static String icon(Status s) {
    return switch (s) {
      case PASS -> "✅ pass";
      case FAIL -> "❌ FAIL";
      case ERROR -> "💥 ERROR";
      case SKIP -> "⏭ skip";
    };
  }

  private static String md(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }
}
