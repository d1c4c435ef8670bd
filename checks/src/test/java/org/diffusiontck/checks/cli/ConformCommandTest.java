package org.diffusiontck.checks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusiontck.checks.conform.KitPaths;
import org.diffusiontck.checks.report.Reports;
import org.diffusiontck.checks.wire.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tck conform}: exit codes, the three reports, tolerance overrides, usage errors. */
class ConformCommandTest {
  static final String EXAMPLE = "python3 '" + KitPaths.pythonExample() + "'";

  @Test
  void aConformingImplementationExitsZeroAndWritesTheThreeReports(@TempDir Path dir)
      throws Exception {
    Cli.Result r = Cli.run("conform", "--impl", EXAMPLE, "--rules", "SCHED-1,POST-*",
        "--report-dir", dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("SCHED-1/vectors", "POST-1/vectors", "rules: 5 passed, 0 failed");
    assertThat(r.err()).contains("/5] SCHED-1 ");
    for (String report : new String[] {Reports.JUNIT_XML, Reports.JSON, Reports.MARKDOWN}) {
      assertThat(dir.resolve(report)).exists();
    }
    assertThat(Files.size(dir.resolve(Reports.MARKDOWN))).isLessThan(1 << 20);
    assertThat(Files.readString(dir.resolve(Reports.JUNIT_XML)))
        .contains("tests=\"5\" failures=\"0\" errors=\"0\"", "name=\"POST-1/vectors ");
  }

  @Test
  void thePlantedBugFailsWithTheRuleNamedInEveryReport(@TempDir Path dir) throws Exception {
    Cli.Result r = Cli.run("conform", "--impl",
        "DIFFUSION_TCK_PLANT_BUG=posterior-variance " + EXAMPLE, "--rules", "FWD-1,POST-1",
        "--report-dir", dir.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.CHECK_FAILED);
    assertThat(r.out()).contains("POST-1 FAIL: variance of q(x_", "counterexample:");
    JsonNode json = Wire.parse(Files.readString(dir.resolve(Reports.JSON)));
    assertThat(json.get("passed").asBoolean()).isFalse();
    for (JsonNode rule : json.get("rules")) {
      String id = rule.get("id").asText();
      assertThat(rule.get("result").asText()).as(id)
          .isEqualTo(id.startsWith("POST-1") ? "fail" : "pass");
    }
    assertThat(Files.readString(dir.resolve(Reports.JUNIT_XML)))
        .contains("failures=\"2\"", "<failure message=\"variance of q(x_");
    assertThat(Files.readString(dir.resolve(Reports.MARKDOWN)))
        .contains("# Diffusion TCK: FAILED", "## POST-1 FAIL", "## POST-1/vectors FAIL",
            "with planted bug posterior-variance");
  }

  @Test
  void aToleranceOverrideIsAppliedAndItsReasonPrintedInEveryReport(@TempDir Path dir)
      throws Exception {
    Cli.Result r = Cli.run("conform", "--impl", EXAMPLE, "--rules", "POST-1",
        "--tolerance", "POST-1=1e-9:rounding of our float64 BLAS", "--report-dir",
        dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("tolerance override POST-1 = 1.0E-9: rounding of our float64 BLAS");
    JsonNode json = Wire.parse(Files.readString(dir.resolve(Reports.JSON)));
    for (JsonNode rule : json.get("rules")) {
      assertThat(rule.get("tolerance").get("absolute").asDouble()).isEqualTo(1e-9);
    }
    assertThat(json.get("toleranceOverrides").get("POST-1").get("reason").asText())
        .isEqualTo("rounding of our float64 BLAS");
    assertThat(Files.readString(dir.resolve(Reports.JUNIT_XML)))
        .contains("tolerance-override.POST-1", "rounding of our float64 BLAS");
    assertThat(Files.readString(dir.resolve(Reports.MARKDOWN)))
        .contains("## Tolerance overrides", "rounding of our float64 BLAS");
  }

  @Test
  void dtypeSelectsTheFloat32Tolerances(@TempDir Path dir) throws Exception {
    Cli.Result r = Cli.run("conform", "--impl", EXAMPLE, "--rules", "POST-1", "--dtype",
        "float32", "--no-vectors", "--report-dir", dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("(float32)");
    // POST-1's float32 tolerance, argued in PosteriorRules
    JsonNode tolerance = Wire.parse(Files.readString(dir.resolve(Reports.JSON))).get("rules")
        .get(0).get("tolerance");
    assertThat(tolerance.get("absolute").asDouble()).isEqualTo(1e-3);
    assertThat(tolerance.get("relative").asDouble()).isEqualTo(2e-3);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "conform --rules POST-1                                 | Missing required option: '--impl",
    "conform --impl true --rules NOPE-*                     | matches no rule",
    "conform --impl true --tolerance POST-1=1e-9            | with a reason",
    "conform --impl true --tolerance NOPE-1=1e-9:why        | there is no rule NOPE-1",
    "conform --impl true --tolerance POST-1=big:why         | the value must be a number",
    "conform --impl true --dtype float16                    | dtype must be float64 or float32",
    "conform --impl true --timeout 0                        | --timeout must be positive",
    "conform --impl true --tries-factor -1                  | --tries-factor must be positive",
    "conform --impl true --vectors /nonexistent             | no vectors in /nonexistent"
  })
  void usageErrorsExitTwoWithOneLine(String args, String message) {
    Cli.Result r = Cli.run(args.trim().split("\\s+"));
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).startsWith("tck conform: ").contains(message);
  }

  @Test
  void theMainJobAppendsThePythonExamplesConformance(@TempDir Path dir) throws Exception {
    Cli.Result r = Cli.run("run", "--rules", "POST-1", "--report-dir", dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    String example = r.out().substring(r.out().indexOf("Conformance of the Python example"));
    assertThat(example).contains("through spec/PROTOCOL.md", "rules: 2 passed, 0 failed");
    assertThat(dir.resolve("python-example").resolve(Reports.JUNIT_XML)).exists();
  }

  @Test
  void vectorsNeedOutOrCheck() {
    Cli.Result r = Cli.run("vectors");
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("give --out DIR");
  }
}
