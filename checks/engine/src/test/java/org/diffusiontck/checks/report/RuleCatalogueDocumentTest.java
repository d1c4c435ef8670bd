package org.diffusiontck.checks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusiontck.checks.conform.KitPaths;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import org.junit.jupiter.api.Test;

class RuleCatalogueDocumentTest {
  private static final Path RULES_MD = KitPaths.root().resolve("spec").resolve("RULES.md");

  @Test
  void committedCatalogueIsCurrent() throws IOException {
    String expected = RuleCatalogueDocument.markdown(Catalogue.all());
    assertThat(Files.readString(RULES_MD, StandardCharsets.UTF_8))
        .as("spec/RULES.md is stale: regenerate it with ./tck rules --catalogue > spec/RULES.md")
        .isEqualTo(expected);
  }

  @Test
  void everyRuleHasASectionWithBothTolerancesArgued() {
    String doc = RuleCatalogueDocument.markdown(Catalogue.all());
    for (Rule r : Catalogue.all()) {
      assertThat(doc).contains("\n## " + r.info().id() + "\n");
      assertThat(r.info().tolerances().float64().why()).as(r.info().id()).isNotBlank();
      assertThat(r.info().tolerances().float32().why()).as(r.info().id()).isNotBlank();
    }
  }

  @Test
  void ruleIdsAreUniqueAndWellFormed() {
    var ids = Catalogue.all().stream().map(r -> r.info().id()).toList();
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(ids).allMatch(id -> id.matches("[A-Z]+-[0-9]+"));
  }
}
