package org.diffusiontck.checks.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffusiontck.checks.conform.Conformance;
import org.diffusiontck.checks.conform.KitPaths;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.report.ConsoleReport;
import org.diffusiontck.checks.report.Reports;
import org.diffusiontck.checks.report.Run;
import org.diffusiontck.checks.rules.RunSettings;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tck conform}: the vectors and the property rules against an implementation process. */
@Command(
    name = "conform",
    sortOptions = false,
    description = {
      "Check an implementation that runs as a child process speaking spec/PROTOCOL.md"
          + " (newline-delimited JSON on stdin/stdout): the recorded vectors of spec/vectors and"
          + " every applicable property rule, each failure shrunk to a minimal counterexample.",
      "Writes JUnit XML, JSON and a Markdown summary into --report-dir. Exit code 0 when every"
          + " applicable rule passes, 1 when one fails or errs, 2 on a usage error.",
      ""
    })
final class ConformCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--impl",
      required = true,
      paramLabel = "COMMAND",
      description = "The implementation's command line, run by /bin/sh -c, e.g."
          + " \"python3 spec/examples/python/diffusion_impl.py\".")
  private String impl;

  @Option(
      names = "--rules",
      split = ",",
      paramLabel = "GLOB",
      description = "Only the rules whose ID matches (* any characters, ? one), e.g. DDIM-* or"
          + " POST-1,CONV-*; each rule's vectors follow it.")
  private List<String> rules = new ArrayList<>();

  @Option(
      names = "--dtype",
      paramLabel = "DTYPE",
      description = "float64 or float32: whose tolerances apply (default: the dtype the"
          + " implementation declares).")
  private String dtype;

  @Option(
      names = "--report-dir",
      defaultValue = "tck-reports",
      paramLabel = "DIR",
      description = "Where the reports go (default tck-reports): " + Reports.JUNIT_XML + ", "
          + Reports.JSON + ", " + Reports.MARKDOWN + ".")
  private Path reportDir;

  @Option(
      names = "--tolerance",
      paramLabel = "RULE=VALUE:REASON",
      description = "Replace a rule's tolerance (absolute, and relative where it has one) by"
          + " VALUE; the reason is required and printed in every report, e.g."
          + " --tolerance 'DDIM-6=1e-3:our float32 ODE solver'. Repeatable.")
  private List<String> tolerances = new ArrayList<>();

  @Option(
      names = "--seed",
      defaultValue = "" + RunSettings.DEFAULT_SEED,
      paramLabel = "S",
      description = "The base seed of the property rules' cases (default ${DEFAULT-VALUE}).")
  private long seed;

  @Option(
      names = "--tries-factor",
      defaultValue = "1",
      paramLabel = "X",
      description = "Multiplies each property rule's number of cases (default 1).")
  private double triesFactor;

  @Option(
      names = "--timeout",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description = "How long one request may take before the child is killed (default 30).")
  private double timeout;

  @Option(
      names = "--vectors",
      paramLabel = "DIR",
      description = "The vectors to replay (default: the kit's spec/vectors).")
  private Path vectors;

  @Option(names = "--no-vectors", description = "Run the property rules only.")
  private boolean noVectors;

  @Override
  public Integer call() throws IOException {
    if (!(triesFactor > 0)) {
      throw new ParameterException(spec.commandLine(),
          "--tries-factor must be positive, got " + triesFactor);
    }
    if (!(timeout > 0)) {
      throw new ParameterException(spec.commandLine(), "--timeout must be positive, got "
          + timeout);
    }
    RunSettings settings = new RunSettings(seed, triesFactor, overrides());
    Conformance.Options options = new Conformance.Options(settings,
        dtype == null ? null : Dtype.of(dtype), rules,
        noVectors ? null : vectors != null ? vectors : KitPaths.vectors(),
        Duration.ofMillis(Math.round(timeout * 1000)));
    PrintStream out = PrintWriterStream.of(spec.commandLine().getOut());
    Run run = Conformance.run(impl, options, ConsoleReport.progress(
        PrintWriterStream.of(spec.commandLine().getErr())));
    ConsoleReport.print(run, out);
    Reports.writeAll(run, reportDir);
    out.println("reports: " + reportDir.resolve(Reports.JUNIT_XML) + ", "
        + reportDir.resolve(Reports.JSON) + ", " + reportDir.resolve(Reports.MARKDOWN));
    out.flush();
    return run.passed() ? ExitCode.OK : ExitCode.CHECK_FAILED;
  }

  /** --tolerance RULE=VALUE:REASON, each naming a rule of the catalogue. */
  private Map<String, RunSettings.Override> overrides() {
    Map<String, RunSettings.Override> out = new LinkedHashMap<>();
    for (String t : tolerances) {
      int eq = t.indexOf('=');
      int colon = t.indexOf(':', Math.max(eq, 0));
      if (eq <= 0 || colon < 0 || t.substring(colon + 1).isBlank()) {
        throw new ParameterException(spec.commandLine(), "--tolerance must be RULE=VALUE:REASON"
            + " with a reason, e.g. 'DDIM-6=1e-3:our float32 solver', got '" + t + "'");
      }
      String id = t.substring(0, eq).trim();
      if (Catalogue.all().stream().noneMatch(r -> r.info().id().equals(id))) {
        throw new ParameterException(spec.commandLine(), "--tolerance: there is no rule " + id
            + "; the rules are " + String.join(", ",
                Catalogue.all().stream().map(r -> r.info().id()).toList()));
      }
      double value;
      try {
        value = Double.parseDouble(t.substring(eq + 1, colon).trim());
      } catch (NumberFormatException e) {
        throw new ParameterException(spec.commandLine(), "--tolerance " + id
            + ": the value must be a number, got '" + t.substring(eq + 1, colon) + "'");
      }
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new ParameterException(spec.commandLine(), "--tolerance " + id
            + ": the value must be finite and non-negative, got " + value);
      }
      out.put(id, new RunSettings.Override(value, t.substring(colon + 1).trim()));
    }
    return out;
  }
}
