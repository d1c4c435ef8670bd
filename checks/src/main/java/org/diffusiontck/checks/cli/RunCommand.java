package org.diffusiontck.checks.cli;

import java.io.IOException;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.diffusiontck.checks.report.Run;
import org.diffusiontck.checks.rules.RuleSelection;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tck run}: the main job on the embedded default. Every rule of the catalogue against the
 * reference, with the table and a closing summary line; then the conformance run of the Python
 * example through the child-process protocol ({@link ExampleConformance}); then the steps other
 * modules add ({@link TckExtension#runSteps}: the golden module's {@code golden verify} of the
 * shipped checkpoint); exits with the worst exit code of them all.
 */
@Command(
    name = "run",
    sortOptions = false,
    description = {
      "The main job: run every rule against the reference (the embedded default implementation)"
          + " and print the rule table and a summary; then check the Python example"
          + " (spec/examples/python) through spec/PROTOCOL.md, vectors and rules, and print its"
          + " summary; then verify the shipped checkpoint against its golden record"
          + " (tck golden verify) and print its summary. Exits 1 if anything fails.",
      ""
    })
final class RunCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private RuleOptions options;

  @Override
  public Integer call() throws IOException {
    Run run = RulesCommand.runReference(
        RuleSelection.matching(Catalogue.all(), options.rules), options,
        spec.commandLine().getOut(), spec.commandLine().getErr());
    boolean example = ExampleConformance.run(options, spec.commandLine().getOut(),
        spec.commandLine().getErr());
    int code = run.passed() && example ? ExitCode.OK : ExitCode.CHECK_FAILED;
    for (TckExtension extension : ServiceLoader.load(TckExtension.class)) {
      for (List<String> step : extension.runSteps(options.reportDir)) {
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().flush();
        code = Math.max(code, spec.root().commandLine().execute(step.toArray(String[]::new)));
      }
    }
    return code;
  }
}
