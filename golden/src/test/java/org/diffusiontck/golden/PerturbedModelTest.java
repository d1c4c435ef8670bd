package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import org.diffusiontck.golden.check.Check;
import org.diffusiontck.golden.check.SampleDiff;
import org.diffusiontck.golden.report.GoldenReports;
import org.diffusiontck.golden.report.Verdict;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A model with one weight changed fails verify, with a report that shows where. */
class PerturbedModelTest {
  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /** The perturbed file differs from the shipped one in the 4 bytes of one float32 only. */
  @Test
  void exactlyOneWeightChanged() throws Exception {
    Perturbed.verdict();
    byte[] a = Files.readAllBytes(Repo.CHECKPOINT);
    byte[] b = Files.readAllBytes(Perturbed.MODEL);
    assertThat(b).hasSameSizeAs(a);
    int at = OnnxWeights.of(a).get(Perturbed.WEIGHT).offset();
    for (int i = 0; i < a.length; i++) {
      if (i < at || i >= at + 4) {
        assertThat(b[i]).as("byte " + i).isEqualTo(a[i]);
      }
    }
    float before = ByteBuffer.wrap(a, at, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
    float after = ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
    assertThat(after).isEqualTo(before + Perturbed.DELTA);
  }

  @Test
  void failsWithTheSamplesItChanged() {
    Verdict v = Perturbed.verdict();
    assertThat(v.passed()).isFalse();
    List<SampleDiff> failed = v.diffs().stream().filter(d -> !d.passed()).toList();
    assertThat(failed).isNotEmpty();
    for (SampleDiff d : failed) {
      boolean tooFar = d.maxAbs() > v.tolerance().sampleMaxAbs()
          || d.psnr() < v.tolerance().samplePsnrDb();
      assertThat(tooFar).as(d.sampler() + " seed " + d.seed()).isTrue();
      double atWorst = Math.abs(d.candidate()[d.worstPixel()] - d.golden()[d.worstPixel()]);
      assertThat(atWorst).isEqualTo(d.maxAbs());
    }
    assertThat(v.checks().stream().filter(c -> !c.passed()).map(Check::id))
        .contains("GOLDEN-SAMPLE/" + failed.get(0).sampler() + "/seed-" + failed.get(0).seed());
    assertThat(v.notes()).anyMatch(n -> n.contains("differs from the recorded one"));
  }

  /** The HTML, JSON and JUnit reports name each failing seed and its worst pixel. */
  @Test
  void reportsShowWhere() throws Exception {
    Verdict v = Perturbed.verdict();
    String html = Files.readString(Perturbed.REPORT.resolve(GoldenReports.HTML));
    assertThat(html).contains("FAILED").contains("class=\"fail\"");
    JsonNode json = new ObjectMapper().readTree(
        Perturbed.REPORT.resolve(GoldenReports.JSON).toFile());
    assertThat(json.get("passed").asBoolean()).isFalse();
    String junit = Files.readString(Perturbed.REPORT.resolve(GoldenReports.JUNIT_XML));
    for (SampleDiff d : v.diffs()) {
      if (!d.passed()) {
        assertThat(html).contains(d.worstPixelText());
        assertThat(junit).contains("GOLDEN-SAMPLE/" + d.sampler() + "/seed-" + d.seed())
            .contains("where: pixel " + d.worstPixelText());
        assertThat(json.get("samples")).anyMatch(s -> s.get("sampler").asText()
            .equals(d.sampler()) && s.get("seed").asLong() == d.seed()
            && !s.get("passed").asBoolean()
            && s.get("worst_pixel").asText().equals(d.worstPixelText()));
      }
    }
  }
}
