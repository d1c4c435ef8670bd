package org.diffusiontck.checks.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.PosteriorResult;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.rules.ImplementationError;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.RuleSelection;
import org.diffusiontck.checks.rules.RunSettings;
import org.diffusiontck.checks.rules.Status;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The reports of one run with every kind of verdict: an implementation whose posterior variance is
 * wrong (FAIL), whose forward process crashes (ERROR), which offers no conversions (SKIP), and
 * whose schedule is right (PASS).
 */
class ReportsTest {
  /** The reference with three defects of different kinds. */
  static final class Flawed extends ReferenceImplementation {
    @Override
    public Declaration declaration() {
      Declaration d = super.declaration();
      EnumSet<Operation> ops = EnumSet.copyOf(d.operations());
      ops.remove(Operation.CONVERT);
      return new Declaration("flawed <&\"> example", d.dtype(), ops, d.schedules(),
          d.zeroTerminalSnr(), d.predictions(), d.varianceChoices(), d.spacings(), d.clippings(),
          d.conventions());
    }

    @Override
    public PosteriorResult posterior(Requests.Posterior r) {
      PosteriorResult p = super.posterior(r);
      double[] v = p.variance().clone();
      for (int b = 0; b < v.length; b++) {
        v[b] *= 1.5;
      }
      return new PosteriorResult(p.mean(), v);
    }

    @Override
    public Tensor forwardSample(Requests.ForwardSample r) {
      throw new ImplementationError("the child process exited with code 139");
    }
  }

  private static Run run() {
    List<Rule> rules = RuleSelection.matching(Catalogue.all(), "SCHED-1,FWD-1,POST-1,CONV-1");
    return Run.execute(new Flawed(), rules, RunSettings.defaults(), new RuleRunner.Listener() {});
  }

  @Test
  void verdictsOfEveryKind() {
    Run run = run();
    assertThat(run.results()).extracting(r -> r.status())
        .containsExactly(Status.PASS, Status.ERROR, Status.FAIL, Status.SKIP);
    assertThat(run.passed()).isFalse();
    assertThat(run.summary()).isEqualTo("rules: 1 passed, 2 failed, 1 skipped");
  }

  @Test
  void junitXmlIsWellFormedWithOneCasePerRule(@TempDir Path dir) throws Exception {
    Reports.writeAll(run(), dir);
    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(dir.resolve(Reports.JUNIT_XML).toFile());
    Element suite = xml.getDocumentElement();
    assertThat(suite.getTagName()).isEqualTo("testsuite");
    assertThat(suite.getAttribute("tests")).isEqualTo("4");
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    assertThat(suite.getAttribute("errors")).isEqualTo("1");
    assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    assertThat(suite.getAttribute("name")).contains("flawed <&\"> example");
    assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(4);
    Element failure = (Element) xml.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message")).contains("variance");
    assertThat(failure.getTextContent()).contains("counterexample").contains("tolerance");
    Element error = (Element) xml.getElementsByTagName("error").item(0);
    assertThat(error.getAttribute("message")).contains("exited with code 139");
  }

  @Test
  void jsonReportHasErrorsToleranceAndCounterexamplePerRule(@TempDir Path dir)
      throws IOException {
    Reports.writeAll(run(), dir);
    JsonNode json = new ObjectMapper().readTree(dir.resolve(Reports.JSON).toFile());
    assertThat(json.get("passed").asBoolean()).isFalse();
    JsonNode post = json.get("rules").get(2);
    assertThat(post.get("id").asText()).isEqualTo("POST-1");
    assertThat(post.get("result").asText()).isEqualTo("fail");
    assertThat(post.get("worstAbsoluteError").asDouble()).isPositive();
    assertThat(post.get("tolerance").get("why").asText()).isNotBlank();
    assertThat(post.get("counterexample").asText()).contains("schedule");
    assertThat(json.get("rules").get(3).get("result").asText()).isEqualTo("skip");
    assertThat(json.get("rules").get(3).get("message").asText()).contains("convert");
  }

  @Test
  void markdownSummaryNamesFailuresAndStaysSmall(@TempDir Path dir) throws IOException {
    Reports.writeAll(run(), dir);
    Path md = dir.resolve(Reports.MARKDOWN);
    String text = Files.readString(md);
    assertThat(text).startsWith("# Diffusion TCK: FAILED").contains("## POST-1 FAIL")
        .contains("## FWD-1 ERROR");
    assertThat(Files.size(md)).isLessThan(1 << 20);
  }

  @Test
  void consoleTableShowsEachRuleAndTheClosingLine() {
    StringWriter s = new StringWriter();
    ConsoleReport.print(run(), new PrintWriter(s, true));
    String out = s.toString();
    assertThat(out).contains("POST-1", "FAIL", "CONV-1", "SKIP", "counterexample");
    assertThat(out.strip()).endsWith("rules: 1 passed, 2 failed, 1 skipped");
  }
}
