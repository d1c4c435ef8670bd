package org.diffusiontck.checks.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.diffusiontck.checks.report.ImplementationsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tck table}: the conformance table of real libraries from their recorded runs. */
@Command(
    name = "table",
    sortOptions = false,
    description = {
      "Print the conformance table of real libraries (spec/IMPLEMENTATIONS.md) from recorded"
          + " runs: each REPORT is a diffusion-tck.json with a provenance.json beside it, and"
          + " the library's failures.json two directories up classifies its failures.",
      ""
    })
final class TableCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "REPORT",
      description = "Recorded reports, e.g. spec/examples/*/reports/*/diffusion-tck.json.")
  private List<Path> reports;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Write the table to FILE instead of standard output.")
  private Path out;

  @Override
  public Integer call() throws IOException {
    String md = ImplementationsTable.markdown(reports);
    if (out == null) {
      spec.commandLine().getOut().print(md);
    } else {
      Files.writeString(out, md, StandardCharsets.UTF_8);
    }
    return ExitCode.OK;
  }
}
