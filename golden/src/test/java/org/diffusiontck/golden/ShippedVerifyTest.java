package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import javax.xml.parsers.DocumentBuilderFactory;
import org.diffusiontck.golden.report.GoldenReports;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code tck golden verify} passes on the shipped checkpoint and its committed record. */
class ShippedVerifyTest {
  /** 3 samplers × 8 seeds, the loss, the bound, and 6 sound-model checks. */
  private static final int CHECKS = 3 * 8 + 2 + 6;

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @Test
  void passesAndPrintsItsSummary() {
    Repo.Result r = ShippedVerification.result();
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out().strip().lines().reduce((a, b) -> b).orElseThrow())
        .startsWith("golden verify digits: PASSED, " + CHECKS + " checks, 0 failed (");
  }

  @Test
  void writesJunitXmlWithOneTestCasePerCheck() throws Exception {
    ShippedVerification.result();
    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(ShippedVerification.REPORT.resolve(GoldenReports.JUNIT_XML).toFile());
    Element suite = xml.getDocumentElement();
    assertThat(suite.getTagName()).isEqualTo("testsuite");
    assertThat(suite.getAttribute("tests")).isEqualTo(Integer.toString(CHECKS));
    assertThat(suite.getAttribute("failures")).isEqualTo("0");
    assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(CHECKS);
    assertThat(xml.getElementsByTagName("failure").getLength()).isZero();
  }

  @Test
  void writesJsonWithEverySampleWithinTolerance() throws Exception {
    ShippedVerification.result();
    JsonNode json = new ObjectMapper().readTree(
        ShippedVerification.REPORT.resolve(GoldenReports.JSON).toFile());
    assertThat(json.get("passed").asBoolean()).isTrue();
    assertThat(json.get("environment").get("dtype").asText()).isEqualTo("float32");
    double allowed = json.get("tolerance").get("sample_max_abs").asDouble();
    assertThat(json.get("samples")).hasSize(24);
    for (JsonNode s : json.get("samples")) {
      assertThat(s.get("max_abs").asDouble()).isLessThanOrEqualTo(allowed);
    }
    assertThat(json.get("loss").get("observed")).hasSize(1000);
    assertThat(Files.size(ShippedVerification.REPORT.resolve(GoldenReports.HTML)))
        .isGreaterThan(10_000);
  }

  /** What verify recomputed is itself a candidate folder that compare accepts. */
  @Test
  void recomputedNumbersAreACandidate() {
    ShippedVerification.result();
    Repo.Result r = Repo.tck("golden", "compare", "--candidate",
        ShippedVerification.REPORT.resolve(Golden.RECOMPUTED).toString(), "--report",
        "target/golden-compare-recomputed");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("golden compare digits: PASSED");
  }
}
