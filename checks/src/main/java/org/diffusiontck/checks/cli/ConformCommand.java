package org.diffusiontck.checks.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffusiontck.checks.child.ChildLimits;
import org.diffusiontck.checks.conform.Conformance;
import org.diffusiontck.checks.conform.KitPaths;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.report.ConsoleReport;
import org.diffusiontck.checks.report.Reports;
import org.diffusiontck.checks.report.Run;
import org.diffusiontck.checks.rules.RunSettings;
import org.diffusiontck.checks.rules.Status;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      "Writes JUnit XML, JSON and a Markdown summary into --report-dir (default tck-reports)."
          + " Exit code 0 when every"
          + " applicable rule passes, 1 when one fails or errs, 2 on a usage error.",
      ""
    })
final class ConformCommand implements Callable<Integer> {
  /** Where the reports go without --report-dir. */
  static final String DEFAULT_REPORT_DIR = "tck-reports";

  @Spec private CommandSpec spec;

  @Option(
      names = "--impl",
      required = true,
      paramLabel = "COMMAND",
      description = "The implementation's command line, run by /bin/sh -c, e.g."
          + " \"python3 spec/examples/python/diffusion_impl.py\".")
  private String impl;

  @Mixin private RuleOptions options;

  @Option(
      names = "--dtype",
      paramLabel = "DTYPE",
      description = "float64 or float32: whose tolerances apply (default: the dtype the"
          + " implementation declares).")
  private String dtype;

  @Option(
      names = "--tolerance",
      paramLabel = "RULE=VALUE:REASON",
      description = "Replace a rule's tolerance (absolute, and relative where it has one) by"
          + " VALUE; the reason is required and printed in every report, e.g."
          + " --tolerance 'DDIM-6=1e-3:our float32 ODE solver'. Repeatable.")
  private List<String> tolerances = new ArrayList<>();

  @Option(
      names = "--timeout",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description = "How long one request may take before the child is killed (default 30).")
  private double timeout;

  @Option(
      names = "--handshake-timeout",
      defaultValue = "300",
      paramLabel = "SECONDS",
      description = "How long the child may take to start and answer the handshake, e.g. while it"
          + " imports its framework (default 300).")
  private double handshakeTimeout;

  @Option(
      names = "--vectors",
      paramLabel = "DIR",
      description = "The vectors to replay (default: the kit's spec/vectors).")
  private Path vectors;

  @Option(names = "--no-vectors", description = "Run the property rules only.")
  private boolean noVectors;

  @Override
  public Integer call() throws IOException {
    if (noVectors && vectors != null) {
      throw new ParameterException(spec.commandLine(), "--vectors and --no-vectors exclude each"
          + " other");
    }
    Duration request = seconds("--timeout", timeout);
    Duration handshake = seconds("--handshake-timeout", handshakeTimeout);
    RunSettings base = options.settings();
    Conformance.Options conform = new Conformance.Options(
        new RunSettings(base.seed(), base.triesFactor(), overrides()),
        dtype == null ? null : Dtype.of(dtype), options.rules,
        noVectors ? null : vectors != null ? vectors : KitPaths.vectors(),
        ChildLimits.defaults().withRequest(request).withHandshake(handshake));
    PrintWriter out = spec.commandLine().getOut();
    Run run = Conformance.run(impl, conform, ConsoleReport.progress(spec.commandLine().getErr()));
    String common = commonError(run);
    if (common != null) {
      // e.g. the child never completed the handshake: one line says it better than a table
      out.println("every rule errored: " + common);
      out.println(run.summary());
    } else {
      ConsoleReport.print(run, out);
    }
    Path reportDir = options.reportDir != null ? options.reportDir : Path.of(DEFAULT_REPORT_DIR);
    Reports.writeAll(run, reportDir);
    out.println("reports: " + reportDir.resolve(Reports.JUNIT_XML) + ", "
        + reportDir.resolve(Reports.JSON) + ", " + reportDir.resolve(Reports.MARKDOWN));
    out.flush();
    return run.passed() ? ExitCode.OK : ExitCode.CHECK_FAILED;
  }

  /** A timeout option's value: positive and at most a day. */
  private Duration seconds(String option, double value) {
    if (!(value > 0) || value > 86_400) {
      throw new ParameterException(spec.commandLine(), option
          + " must be positive and at most 86400 seconds, got " + value);
    }
    return Duration.ofMillis(Math.max(1, Math.round(value * 1000)));
  }

  /** The one error message every rule of the run ended with, or null. */
  private static String commonError(Run run) {
    List<String> messages = run.results().stream().map(r -> r.status() == Status.ERROR
        ? r.message() : null).distinct().toList();
    return messages.size() == 1 ? messages.get(0) : null;
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
      if (out.put(id, new RunSettings.Override(value, t.substring(colon + 1).trim())) != null) {
        throw new ParameterException(spec.commandLine(), "--tolerance " + id
            + " is given twice; give each rule one tolerance");
      }
    }
    return out;
  }
}
