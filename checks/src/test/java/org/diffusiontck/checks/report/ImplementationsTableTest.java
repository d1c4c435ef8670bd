package org.diffusiontck.checks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.diffusiontck.checks.conform.KitPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImplementationsTableTest {
  private static final Path EXAMPLES = KitPaths.root().resolve("spec").resolve("examples");
  private static final Path TABLE = KitPaths.root().resolve("spec").resolve("IMPLEMENTATIONS.md");

  /** The recorded runs, in the order the shell's glob gives them. */
  static List<Path> recordedReports() throws IOException {
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      return files.filter(p -> p.getFileName().toString().equals("diffusion-tck.json"))
          .filter(p -> p.getParent().getParent().getFileName().toString().equals("reports"))
          .sorted().toList();
    }
  }

  @Test
  void committedTableIsCurrent() throws IOException {
    List<Path> reports = recordedReports();
    assertThat(reports).as("recorded runs under spec/examples/*/reports/").isNotEmpty();
    assertThat(Files.readString(TABLE, StandardCharsets.UTF_8))
        .as("spec/IMPLEMENTATIONS.md is stale: regenerate it with ./tck table"
            + " spec/examples/*/reports/*/diffusion-tck.json --out spec/IMPLEMENTATIONS.md")
        .isEqualTo(ImplementationsTable.markdown(reports));
  }

  @Test
  void everyRecordedFailureIsClassified() throws IOException {
    for (Path report : recordedReports()) {
      assertThat(ImplementationsTable.unclassified(report)).as(report.toString()).isEmpty();
    }
  }

  @Test
  void countsSharesAndCausesComeFromTheRuns(@TempDir Path dir) throws IOException {
    Path report = run(dir, "lib", "f32", "float32",
        rule("A-1", "pass") + "," + rule("A-1/vectors", "fail") + "," + rule("B-1", "error")
            + "," + rule("C-1", "skip"));
    Files.writeString(dir.resolve("lib/failures.json"),
        "{\"A-1\": {\"class\": \"library\", \"cause\": \"off by one\", \"reproduction\": \"f(1)\"}}");
    String md = ImplementationsTable.markdown(List.of(report));
    // 1 pass, 1 fail, 1 error, 1 skip: 3 of 4 results ran
    assertThat(md).contains("## lib\n")
        .contains("| f32 | `0123456789ab` | 1.13 | 0.1 | float32 | seed 7 | 1 | 1 | 1 | 1 | 75 % |")
        .contains("| A-1/vectors | f32 | deviation of the library | off by one | f(1) |")
        .contains("| B-1 | f32 | **unclassified** |  |  |");
    assertThat(ImplementationsTable.unclassified(report)).containsExactly("B-1");
  }

  @Test
  void aCauseNamedForTheRunsDtypeWins(@TempDir Path dir) throws IOException {
    Path f32 = run(dir, "lib", "f32", "float32", rule("A-1/vectors", "fail"));
    Path f64 = run(dir, "lib", "f64", "float64", rule("A-1/vectors", "fail"));
    Files.writeString(dir.resolve("lib/failures.json"), "{"
        + "\"A-1\": {\"class\": \"library\", \"cause\": \"float32 tables\"},"
        + " \"A-1@float32\": {\"class\": \"kit\", \"cause\": \"a tolerance\"}}");
    String md = ImplementationsTable.markdown(List.of(f32, f64));
    // one row per cause: the float32 run under its own key, the float64 run under the rule's
    assertThat(md).contains("| A-1/vectors | f32 | defect of the kit | a tolerance |")
        .contains("| A-1/vectors | f64 | deviation of the library | float32 tables |");
  }

  @Test
  void aRunWithoutProvenanceIsAnError(@TempDir Path dir) throws IOException {
    Path report = run(dir, "lib", "f32", "float32", rule("A-1", "pass"));
    Files.delete(report.resolveSibling("provenance.json"));
    assertThatThrownBy(() -> ImplementationsTable.markdown(List.of(report)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("provenance.json");
  }

  @Test
  void aMissingReportIsAnErrorNamingIt(@TempDir Path dir) {
    Path report = dir.resolve("nowhere").resolve("diffusion-tck.json");
    assertThatThrownBy(() -> ImplementationsTable.markdown(List.of(report)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(report.toString());
    assertThatThrownBy(() -> ImplementationsTable.markdown(List.of(Path.of("/"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
  }

  @Test
  void anUnknownClassIsAnError(@TempDir Path dir) throws IOException {
    Path report = run(dir, "lib", "f32", "float32", rule("A-1", "fail"));
    Files.writeString(dir.resolve("lib/failures.json"), "{\"A-1\": {\"class\": \"flaky\"}}");
    assertThatThrownBy(() -> ImplementationsTable.markdown(List.of(report)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"flaky\"");
  }

  private static String rule(String id, String result) {
    return "{\"id\": \"" + id + "\", \"result\": \"" + result + "\"}";
  }

  private static Path run(Path root, String library, String name, String dtype, String rules)
      throws IOException {
    Path dir = Files.createDirectories(root.resolve(library).resolve("reports").resolve(name));
    int pass = count(rules, "pass");
    int fail = count(rules, "fail");
    int error = count(rules, "error");
    int skip = count(rules, "skip");
    Files.writeString(dir.resolve("diffusion-tck.json"), "{\"dtype\": \"" + dtype
        + "\", \"seed\": 7, \"counts\": {\"pass\": " + pass + ", \"fail\": " + fail
        + ", \"skip\": " + skip + ", \"error\": " + error + "}, \"rules\": [" + rules + "]}");
    Files.writeString(dir.resolve("provenance.json"), "{\"library\": \"" + library
        + "\", \"commit\": \"0123456789abcdef\", \"torch\": \"1.13\", \"kit\": \"0.1\","
        + " \"options\": \"\"}");
    return dir.resolve("diffusion-tck.json");
  }

  private static int count(String rules, String result) {
    return rules.split("\"result\": \"" + result + "\"", -1).length - 1;
  }
}
