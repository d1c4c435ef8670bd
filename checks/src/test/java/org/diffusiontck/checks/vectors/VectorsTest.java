package org.diffusiontck.checks.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.diffusiontck.checks.conform.Conformance;
import org.diffusiontck.checks.conform.KitPaths;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.report.Run;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.Status;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import org.diffusiontck.checks.wire.Wire;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed vectors (spec/VECTORS.md): intact, rendered deterministically, covering what the
 * issue asks, and answered by the reference under every convention they are tagged with. Whether
 * they still agree with the reference is {@code ./tck vectors --check}, which CI runs.
 */
class VectorsTest {
  static final Path DIR = KitPaths.vectors();

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @Test
  void readingAndRenderingAgainGivesTheCommittedBytes() throws IOException {
    Map<String, String> rendered = VectorFiles.render(VectorFiles.read(DIR));
    for (Map.Entry<String, String> e : rendered.entrySet()) {
      assertThat(Files.readString(DIR.resolve(e.getKey()), StandardCharsets.UTF_8))
          .as(e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(VectorFiles.differences(DIR, rendered)).isEmpty();
  }

  @Test
  void everyCaseNamesARuleAndFloat32IsNeverTighterThanFloat64() throws IOException {
    List<String> ids = Catalogue.all().stream().map(r -> r.info().id()).toList();
    long total = 0;
    for (VectorCase c : VectorFiles.read(DIR)) {
      assertThat(ids).contains(c.rule());
      if (!c.refusal()) {
        Tolerance f64 = c.tolerances().get(Dtype.FLOAT64);
        Tolerance f32 = c.tolerances().get(Dtype.FLOAT32);
        for (double y : Sensitivity.numbers(c.result())) {
          assertThat(f32.allowed(y)).as("%s at %s", c.rule(), y)
              .isGreaterThanOrEqualTo(f64.allowed(y));
        }
      }
    }
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path p : files.toList()) {
        total += Files.size(p);
      }
    }
    assertThat(total).as("all files together").isLessThan(5_000_000);
  }

  @Test
  void coverTheChecklist() throws IOException {
    assertThat(Coverage.of(VectorFiles.read(DIR), Catalogue.all()))
        .filteredOn(i -> Boolean.FALSE.equals(i.covered())).isEmpty();
  }

  /** The reference under every single non-default convention, and under the defaults. */
  static List<Conventions> conventionSets() {
    List<Conventions> out = new ArrayList<>(List.of(Conventions.defaults()));
    for (ConventionField f : ConventionField.all()) {
      for (Enum<?> option : f.options()) {
        if (option != f.get(Conventions.defaults())) {
          out.add(f.with(Conventions.defaults(), option));
        }
      }
    }
    return out;
  }

  @Test
  void theReferencePassesEveryCaseThatAppliesUnderEachConvention() throws IOException {
    List<VectorRule> vectorRules = Conformance.catalogueWithVectors(DIR).stream()
        .filter(r -> r instanceof VectorRule).map(r -> (VectorRule) r).toList();
    for (Conventions c : conventionSets()) {
      Run run = Run.execute(new ReferenceImplementation(c), vectorRules,
          org.diffusiontck.checks.rules.RunSettings.defaults(), new RuleRunner.Listener() {});
      for (RuleResult r : run.results()) {
        assertThat(r.status()).as(r.info().id() + " under " + c + ": " + r.message())
            .isIn(Status.PASS, Status.SKIP);
        if (c.equals(Conventions.defaults())) {
          assertThat(r.status()).as(r.info().id() + " under the defaults").isEqualTo(Status.PASS);
        }
      }
    }
  }

  @Test
  void anEditedFileIsRefusedAndOnlyAChangeOfMeaningIsADifference(@TempDir Path copy)
      throws IOException {
    Map<String, String> committed = VectorFiles.render(VectorFiles.read(DIR));
    VectorFiles.write(copy, committed);
    String name = committed.keySet().stream()
        .filter(n -> committed.get(n).contains("\"data\":[")).findFirst().orElseThrow();
    String text = committed.get(name);
    int at = text.indexOf("\"data\":[") + "\"data\":[".length();
    int end = text.indexOf(',', at);
    double v = Double.parseDouble(text.substring(at, end));
    // regenerated on a machine whose last bits differ: no difference
    Map<String, String> lastBit = new java.util.LinkedHashMap<>(committed);
    lastBit.put(name, text.substring(0, at) + Math.nextUp(v) + text.substring(end));
    assertThat(VectorFiles.differences(copy, lastBit)).isEmpty();
    // regenerated after a change of meaning in the 7th digit: a difference naming the place
    Map<String, String> changed = new java.util.LinkedHashMap<>(committed);
    changed.put(name, text.substring(0, at) + (v * (1 + 1e-6) + 1e-6) + text.substring(end));
    assertThat(VectorFiles.differences(copy, changed)).singleElement().asString()
        .startsWith(name + ": .cases[").contains(".data[0]: committed ");
    // a committed file edited by hand no longer matches its manifest
    Files.writeString(copy.resolve(name), changed.get(name));
    assertThatThrownBy(() -> VectorFiles.read(copy)).hasMessageContaining("SHA-256");
  }

  @Test
  void aFamilyLeftOutOfTheManifestIsAnErrorNotASilentGap(@TempDir Path copy) throws IOException {
    Map<String, String> committed = VectorFiles.render(VectorFiles.read(DIR));
    VectorFiles.write(copy, committed);
    JsonNode manifest = Wire.parse(committed.get(VectorFiles.MANIFEST));
    String dropped = manifest.get("files").get(0).get("file").asText();
    ((ArrayNode) manifest.get("files")).remove(0);
    Files.writeString(copy.resolve(VectorFiles.MANIFEST), Wire.write(manifest));
    assertThatThrownBy(() -> VectorFiles.read(copy)).isInstanceOf(IOException.class)
        .hasMessageContaining(dropped + " is not listed in manifest.json");
    // vectors --check: the regenerated manifest does not match
    assertThat(VectorFiles.differences(copy, committed)).anyMatch(d -> d.contains(dropped));
    // a manifest entry without its hash is named, not a NullPointerException
    ObjectNode entry = (ObjectNode) manifest.get("files").get(0);
    entry.remove("sha256");
    Files.delete(copy.resolve(dropped));
    Files.writeString(copy.resolve(VectorFiles.MANIFEST), Wire.write(manifest));
    assertThatThrownBy(() -> VectorFiles.read(copy)).isInstanceOf(IOException.class)
        .hasMessageContaining("has no \"sha256\"");
  }

  @Test
  void theFitCoversEveryAllowanceWithoutLettingTheLargestNumbersSetTheRest() {
    double[] y = {1e4, 1e-4, 0.5, 0.0, Double.POSITIVE_INFINITY};
    double[] allowed = {1e-8, 1e-16, 5e-13, 1e-20, 0};
    Tolerance t = Sensitivity.fit(y, allowed);
    for (int i = 0; i < 4; i++) {
      assertThat(t.allowed(y[i])).as("y[%d]", i).isGreaterThanOrEqualTo(allowed[i]);
    }
    // rel 1e-12 from the first, the middle one needs abs 5e-13 - 0.5e-12 = 0 more, the zero 1e-20
    assertThat(t.rel()).isEqualTo(1e-12);
    assertThat(t.abs()).isEqualTo(1e-20);
  }
}
