package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import javax.imageio.ImageIO;
import org.diffusiontck.golden.report.GoldenReports;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report looks right in a real browser: headless Chromium renders the perturbed model's
 * report to a PNG (kept in target/ to look at), which must show the failed verdict's colours and
 * the heat maps' colours. Runs with {@code mvn verify -Pchromium} (as .ci/run does), which needs
 * Chromium at {@code /usr/bin/chromium} ({@code apt-get install -y chromium} on Debian) or at the
 * path {@code -Dchromium.path} names; it fails, never skips, when Chromium is missing.
 */
@Tag("chromium")
class HtmlReportRenderTest {
  private static final Path CHROMIUM =
      Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));
  private static final int WIDTH = 1200;
  private static final int HEIGHT = 2600;

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @Test
  void chromiumRendersTheFailedReport(@TempDir Path profile) throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      fail("this test renders the HTML report with " + CHROMIUM + ", which is missing: install"
          + " Chromium ('apt-get install -y chromium' on Debian; .ci/run does this) or name it"
          + " with -Dchromium.path=<executable>");
    }
    Perturbed.verdict();
    Path html = Perturbed.REPORT.resolve(GoldenReports.HTML);
    Path png = Perturbed.DIR.resolve("golden-report.png");
    Files.deleteIfExists(png);
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", "--user-data-dir=" + profile, "--screenshot=" + png,
        "--window-size=" + WIDTH + "," + HEIGHT, html.toUri().toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(profile.resolve("chromium.log").toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("Chromium finished within 120 s").isTrue();
    assertThat(Files.exists(png)).as("Chromium wrote " + png + "; its log: "
        + Files.readString(profile.resolve("chromium.log"))).isTrue();

    BufferedImage shot = ImageIO.read(png.toFile());
    assertThat(shot.getWidth()).isEqualTo(WIDTH);
    assertThat(shot.getHeight()).isEqualTo(HEIGHT);
    // The header box of a failed verdict: background #fdecea (a 1 px #c62828 border round it).
    assertThat(count(shot, 150, rgb -> rgb == 0xfdecea)).isGreaterThan(20_000);
    // The heat maps: a failing sample's differences reach the tolerance, drawn in the orange
    // and yellow of the scale's middle third (red 255, blue 0). The scale bar has 85 × 12 such
    // pixels; each sample's map is 64 × 64 screen pixels, a block of 8 × 8 per pixel.
    assertThat(count(shot, HEIGHT, rgb -> rgb >> 16 == 0xff && (rgb & 0xff) == 0
        && (rgb >> 8 & 0xff) > 30 && (rgb >> 8 & 0xff) < 230)).isGreaterThan(10 * 64 * 8);
  }

  /** How many pixels of the top {@code rows} rows have a colour (0xRRGGBB) that matches. */
  private static int count(BufferedImage img, int rows, IntPredicate colour) {
    int n = 0;
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if (colour.test(img.getRGB(x, y) & 0xFFFFFF)) {
          n++;
        }
      }
    }
    return n;
  }
}
