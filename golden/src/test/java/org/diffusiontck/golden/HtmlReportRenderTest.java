package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.diffusiontck.checks.render.HeadlessChromium;
import org.diffusiontck.golden.report.GoldenReports;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report looks right in a real browser: headless Chromium renders the perturbed model's
 * report to a PNG (kept in target/ to look at), which must show the failed verdict's colours and
 * the heat maps' colours ({@link HeadlessChromium}: {@code mvn verify -Pchromium}).
 */
@Tag(HeadlessChromium.TAG)
class HtmlReportRenderTest {
  private static final int WIDTH = 1200;
  private static final int HEIGHT = 2600;

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @Test
  void chromiumRendersTheFailedReport(@TempDir Path profile) throws Exception {
    Perturbed.verdict();
    BufferedImage shot = HeadlessChromium.screenshot(Perturbed.REPORT.resolve(GoldenReports.HTML),
        Perturbed.DIR.resolve("golden-report.png"), profile, WIDTH, HEIGHT);
    assertThat(shot.getHeight()).isEqualTo(HEIGHT);
    // The header box of a failed verdict: background #fdecea (a 1 px #c62828 border round it).
    assertThat(HeadlessChromium.count(shot, 150, rgb -> rgb == 0xfdecea)).isGreaterThan(20_000);
    // The heat maps: a failing sample's differences reach the tolerance, drawn in the orange
    // and yellow of the scale's middle third (red 255, blue 0). The scale bar has 85 × 12 such
    // pixels; each sample's map is 64 × 64 screen pixels, a block of 8 × 8 per pixel.
    assertThat(HeadlessChromium.count(shot, HEIGHT, rgb -> rgb >> 16 == 0xff && (rgb & 0xff) == 0
        && (rgb >> 8 & 0xff) > 30 && (rgb >> 8 & 0xff) < 230)).isGreaterThan(10 * 64 * 8);
  }
}
