package org.diffusiontck.checks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tck study steps}: the committed table ({@code spec/derivations/study/steps.csv}, quoted
 * by the derivation and the README) is what the command produces with its defaults; the table's
 * reference row agrees with a closed form computed here; the files are written; bad input exits
 * with 2 and one line.
 */
class StepsStudyCommandTest {
  static final Path COMMITTED = Path.of("..", "spec", "derivations", "study", "steps.csv");

  @TempDir Path dir;

  /**
   * Regenerate with {@code ./tck study steps --out spec/derivations/study} when the study changes
   * on purpose. Text columns must match exactly; numbers to 1e-6 relative (or 1e-15 absolute): the
   * command and the committed run do the same double arithmetic, but Math.log, exp and sqrt may
   * differ by an ulp between JVMs and platforms, and a KL near 0 is formed as x − log1p(x) from a
   * variance ratio 1 + x propagated over up to 1000 steps, which can turn relative errors of
   * 1e-13 in the variances into 1e-7 in the KL.
   */
  @Test
  void theCommittedTableIsWhatTheCommandProduces() throws Exception {
    Cli.Result result = Cli.run("study", "steps", "--quiet", "--out", dir.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> produced = Files.readAllLines(dir.resolve(StepsStudyCommand.CSV));
    List<String> committed = Files.readAllLines(COMMITTED);
    assertThat(produced).as("rows of " + COMMITTED).hasSameSizeAs(committed);
    assertThat(produced.get(0)).isEqualTo(committed.get(0));
    for (int r = 1; r < produced.size(); r++) {
      String[] p = produced.get(r).split(",");
      String[] c = committed.get(r).split(",");
      assertThat(p).hasSameSizeAs(c);
      for (int k = 0; k < p.length; k++) {
        if (k < 4) {
          assertThat(p[k]).as("row %d column %d", r, k).isEqualTo(c[k]);
        } else {
          double a = Double.parseDouble(p[k]);
          double b = Double.parseDouble(c[k]);
          assertThat(a).as("row %d (%s) column %s", r, committed.get(r),
              StepsStudy.COLUMNS.get(k))
              .isCloseTo(b, within(Math.max(1e-6 * Math.abs(b), 1e-15)));
        }
      }
    }
  }

  /**
   * The start-mismatch row against KL(N(0, 1) ‖ N(√ᾱ_T μ_i, V_i)) averaged over the 64 pixels,
   * with μ_i and s_i the tiny images' per-pixel mean and population standard deviation computed
   * here from the five images' pixel formulas, V_i = ᾱ_T s_i² + 1 − ᾱ_T; and DDIM at η = 1 is
   * DDPM with the small variance, row by row (the same sampler, built from eq. 12 and eq. 7).
   */
  @Test
  void referenceRowsAgreeWithClosedForms() throws Exception {
    assertThat(Cli.run("study", "steps", "--quiet", "--out", dir.toString()).exitCode())
        .isZero();
    Map<String, double[]> rows = new TreeMap<>();
    for (String line : Files.readAllLines(dir.resolve(StepsStudyCommand.CSV)).subList(1, 124)) {
      String[] f = line.split(",");
      rows.put(f[0] + " " + f[1] + " " + f[2], new double[] {Double.parseDouble(f[4]),
          Double.parseDouble(f[5]), Double.parseDouble(f[6])});
    }
    assertThat(rows).hasSize(123);
    NoiseSchedule linear = Schedules.linear(1000);
    double a = linear.alphaBar(1000);
    double kl = 0;
    for (int r = 0; r < 8; r++) {
      for (int c = 0; c < 8; c++) {
        double[] y = {r == 3 || r == 4 || c == 3 || c == 4 ? 1 : -1,
            r >= 1 && r <= 6 && c >= 1 && c <= 6 && (r == 1 || r == 6 || c == 1 || c == 6)
                ? 1 : -1,
            r == c ? 1 : -1, (r / 2 + c / 2) % 2 == 0 ? 1 : -1, -1 + 2.0 * c / 7};
        double mu = 0;
        for (double v : y) {
          mu += v / 5;
        }
        double s2 = 0;
        for (double v : y) {
          s2 += (v - mu) * (v - mu) / 5;
        }
        double V = a * s2 + 1 - a;
        double m = Math.sqrt(a) * mu;
        kl += 0.5 * (1 / V + m * m / V - 1 + Math.log(V));
      }
    }
    assertThat(rows.get("- start-mismatch 0")[0]).isCloseTo(kl / 64, within(1e-12 * kl));
    for (String spacing : List.of("linspace", "leading", "trailing")) {
      for (int N : new int[] {5, 10, 20, 50, 100, 200, 500, 1000}) {
        double[] ddim = rows.get(spacing + " ddim:1 " + N);
        double[] ddpm = rows.get(spacing + " ddpm:small " + N);
        for (int k = 0; k < 3; k++) {
          assertThat(ddim[k]).isCloseTo(ddpm[k], within(1e-9 * ddpm[k]));
        }
      }
    }
  }

  @Test
  void writesTheTablePictureAndPage() throws Exception {
    Cli.Result result = Cli.run("study", "steps", "--samplers", "ddim:0,ddpm:large", "--steps",
        "2,5,10", "--diffusion-steps", "10", "--spacing", "trailing", "--data-std", "0.5",
        "--out", dir.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.errLines()).containsExactly("tck study steps: 1/2 trailing ddim:0",
        "tck study steps: 2/2 trailing ddpm:large");
    assertThat(result.out().lines()).containsExactly(
        dir.resolve("steps.csv").toString(), dir.resolve("steps.json").toString(),
        dir.resolve("steps.png").toString(), dir.resolve("steps.html").toString());
    assertThat(Files.readAllLines(dir.resolve("steps.csv"))).hasSize(1 + 3 + 2 * 3);
    BufferedImage png = ImageIO.read(dir.resolve("steps.png").toFile());
    assertThat(png.getWidth()).isGreaterThan(400);
    assertThat(Files.readString(dir.resolve("steps.html")))
        .contains("src=\"data:image/png;base64,").contains("<td>ddpm:large</td>");
    assertThat(Files.readString(dir.resolve("steps.json")))
        .contains("\"kl_sample_data\"").contains("\"s\" : 0.5");
  }

  @Test
  void badInputExitsWithTwoAndOneLine() {
    for (String[] args : List.of(
        new String[] {"--samplers", "ddim:2"},
        new String[] {"--samplers", "ddpm:medium"},
        new String[] {"--steps", "0"},
        new String[] {"--steps", "2000"},
        new String[] {"--data-std", "-1"},
        new String[] {"--diffusion-steps", "0"},
        new String[] {"--spacing", "sideways"})) {
      String[] full = new String[args.length + 4];
      full[0] = "study";
      full[1] = "steps";
      System.arraycopy(args, 0, full, 2, args.length);
      full[args.length + 2] = "--out";
      full[args.length + 3] = dir.toString();
      Cli.Result result = Cli.run(full);
      assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(result.errLines().get(0)).as(String.join(" ", args))
          .contains(args[0].substring(2).split("-")[0]);
    }
    assertThat(Cli.run("study").exitCode()).isEqualTo(2);
  }
}
