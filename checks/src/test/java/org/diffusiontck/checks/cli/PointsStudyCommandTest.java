package org.diffusiontck.checks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tck study points}: on the finite-set oracle every sample lands on a training image
 * (spec/derivations/gaussian-oracle.md §7: the last step returns x̂_0 = Σ_k w_k y_k with weights
 * one-hot at small t); the reference set is at distance 0 from itself and its replica is not; the
 * Wilson interval is the published formula; bad input exits with 2.
 */
class PointsStudyCommandTest {
  @TempDir Path dir;

  @Test
  void samplesLandOnTrainingImages() throws Exception {
    Cli.Result result = Cli.run("study", "points", "--diffusion-steps", "100", "--steps", "10,50",
        "--samplers", "ddim:0,ddpm:large", "--batch", "16", "--quiet", "--out", dir.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> lines = Files.readAllLines(dir.resolve("points.csv"));
    assertThat(lines.get(0)).isEqualTo(String.join(",", SampledStudy.COLUMNS));
    assertThat(lines).hasSize(1 + 2 + 2 * 2);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      assertThat(Double.parseDouble(f[5])).as(line).isEqualTo(1.0);
      // x̂_0 = Σ_k w_k y_k with the other weights below e^{-(‖Δy‖²/(2(1 − ᾱ_1)))} ~ e^{-5000}:
      // the sample is a training image up to rounding of O(1) values.
      assertThat(Double.parseDouble(f[8])).as(line).isLessThan(1e-12);
    }
    assertThat(lines.get(1)).startsWith("ddpm:small,100,100,0.0,0.0,");
    assertThat(Double.parseDouble(lines.get(2).split(",")[3])).isPositive();
    assertThat(Files.readString(dir.resolve("points.json"))).contains("\"radius\" : 0.05");
  }

  /**
   * Wilson 1927: (p + z²/2n ± z √(p(1 − p)/n + z²/4n²))/(1 + z²/n); for k = 0 of n = 10 the upper
   * end is z²/(n + z²) = 0.27753, for k = n = 10 the lower end is n/(n + z²) = 0.72247.
   */
  @Test
  void wilsonInterval() {
    double z2 = 1.959963984540054 * 1.959963984540054;
    assertThat(SampledStudy.wilson(0, 10)[1]).isCloseTo(z2 / (10 + z2), within(1e-15));
    assertThat(SampledStudy.wilson(10, 10)[0]).isCloseTo(10 / (10 + z2), within(1e-15));
    assertThat(SampledStudy.wilson(5, 10)[0] + SampledStudy.wilson(5, 10)[1])
        .isCloseTo(1.0, within(1e-15));
  }

  @Test
  void badInputExitsWithTwo() {
    for (String[] args : List.of(new String[] {"--radius", "0"},
        new String[] {"--batch", "1"}, new String[] {"--samplers", "ddim"},
        new String[] {"--steps", "1001"})) {
      Cli.Result result = Cli.run("study", "points", args[0], args[1], "--out", dir.toString());
      assertThat(result.exitCode()).as(args[0]).isEqualTo(2);
      assertThat(result.errLines()).as(args[0]).hasSize(1);
      assertThat(result.err()).as(args[0]).contains(args[0]);
    }
  }
}
