package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tck study digits}, added under {@code tck study} by the golden extension: it samples the
 * shipped checkpoint and writes its table, the reference set at distance 0 from itself; a model
 * file that does not exist exits with 2.
 */
class DigitsStudyTest {
  @TempDir Path dir;

  @Test
  void studiesTheShippedCheckpoint() throws Exception {
    assertThat(Repo.tck("study", "--help").out()).contains("digits");
    Repo.Result r = Repo.tck("study", "digits", "--batch", "4", "--steps", "10",
        "--samplers", "ddim:0", "--quiet", "--out", dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = Files.readAllLines(dir.resolve("digits.csv"));
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).startsWith("ddpm:small,1000,1000,0.0,0.0,");
    assertThat(lines.get(3)).startsWith("ddim:0,10,10,");
    assertThat(Double.parseDouble(lines.get(3).split(",")[3])).isPositive();
    assertThat(Files.readString(dir.resolve("digits.json"))).contains("digits-eps.onnx");
  }

  @Test
  void aMissingModelExitsWithTwo() {
    Repo.Result r = Repo.tck("study", "digits", "--model", dir.resolve("none.onnx").toString(),
        "--out", dir.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("none.onnx").contains("does not exist");
  }
}
