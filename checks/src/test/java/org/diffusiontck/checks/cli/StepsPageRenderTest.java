package org.diffusiontck.checks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps study's page looks right in a real browser: Debian's headless Chromium renders
 * steps.html (written by {@code tck study steps} with its defaults) to a PNG, kept in target/ to
 * look at. The embedded plot must show: every sampler's line colour, the reference levels (black
 * dashes, grey dots), and the table's reference rows (background #eef4fb). Chromium must be
 * installed: {@code apt-get install -y chromium} (.ci/run does it).
 */
class StepsPageRenderTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final int WIDTH = 1500;
  private static final int HEIGHT = 1100;

  @TempDir Path profile;

  @Test
  void chromiumRendersThePlotAndTable() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      fail("this test renders the study page with " + CHROMIUM + ", which is missing: install"
          + " it with 'apt-get install -y chromium' (Debian; .ci/run does this)");
    }
    Path out = Path.of("target", "study-steps");
    Cli.Result result = Cli.run("study", "steps", "--quiet", "--out", out.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    Path png = out.resolve("steps-page.png").toAbsolutePath();
    Files.deleteIfExists(png);
    List<String> command = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        "--user-data-dir=" + profile, "--screenshot=" + png,
        "--window-size=" + WIDTH + "," + HEIGHT,
        out.resolve(StepsStudyCommand.HTML).toAbsolutePath().toUri().toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(profile.resolve("chromium.log").toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("Chromium finished within 120 s").isTrue();
    assertThat(Files.exists(png)).as("Chromium wrote " + png + "; its log: "
        + Files.readString(profile.resolve("chromium.log"))).isTrue();

    BufferedImage shot = ImageIO.read(png.toFile());
    assertThat(shot.getWidth()).isEqualTo(WIDTH);
    // Each sampler's line: 2 px wide over six panels of 420 px, so thousands of pixels of its
    // colour (ddim:1 lies under ddpm:small's dashes: half of its length shows).
    for (int k = 0; k < 5; k++) {
      int colour = StepsPlot.COLOURS[k];
      assertThat(count(shot, rgb -> rgb == colour)).as("pixels of line colour %06x", colour)
          .isGreaterThan(500);
    }
    // The reference levels: black dashes and grey dots across every panel.
    assertThat(count(shot, rgb -> rgb == 0x808080)).as("grey dotted level").isGreaterThan(300);
    // The table's reference rows are shaded.
    assertThat(count(shot, rgb -> rgb == 0xeef4fb)).as("reference rows").isGreaterThan(2000);
  }

  private static int count(BufferedImage img, java.util.function.IntPredicate colour) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if (colour.test(img.getRGB(x, y) & 0xFFFFFF)) {
          n++;
        }
      }
    }
    return n;
  }
}
