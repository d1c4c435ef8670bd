package org.diffusiontck.checks.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.report.ConsoleReport;
import org.diffusiontck.checks.report.Reports;
import org.diffusiontck.checks.report.RuleCatalogueDocument;
import org.diffusiontck.checks.report.Run;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleSelection;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tck rules}: the rule table for the reference, or the catalogue itself. */
@Command(
    name = "rules",
    sortOptions = false,
    description = {
      "Run every rule against the reference and print the table: ID, result, worst absolute and"
          + " relative error observed, tolerance, statement and independent route.",
      "Exits 1 if any rule fails. With --catalogue, print spec/RULES.md instead.",
      ""
    })
final class RulesCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private RuleOptions options;

  @Option(
      names = "--catalogue",
      description = "Print the rule catalogue (spec/RULES.md) generated from the rules' metadata.")
  private boolean catalogue;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<Rule> rules = RuleSelection.matching(Catalogue.all(), options.rules);
    if (catalogue) {
      out.print(RuleCatalogueDocument.markdown(rules));
      return ExitCode.OK;
    }
    Run run = runReference(rules, options, out, spec.commandLine().getErr());
    return run.passed() ? ExitCode.OK : ExitCode.CHECK_FAILED;
  }

  /** The rules against the reference: progress on stderr, table on {@code out}, reports. */
  static Run runReference(List<Rule> rules, RuleOptions options, PrintWriter out,
      PrintWriter err) throws IOException {
    Run run = Run.execute(new ReferenceImplementation(), rules, options.settings(),
        ConsoleReport.progress(err));
    ConsoleReport.print(run, out);
    if (options.reportDir != null) {
      Reports.writeAll(run, options.reportDir);
      out.println("reports: " + options.reportDir);
    }
    return run;
  }
}
