package org.diffusiontck.checks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.diffusiontck.checks.render.HeadlessChromium;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps study's page looks right in a real browser: Debian's headless Chromium renders
 * steps.html (written by {@code tck study steps} with its defaults) to a PNG, kept in target/ to
 * look at. The embedded plot must show: every sampler's line colour, the reference levels (black
 * dashes, grey dots), and the table's reference rows (background #eef4fb). Chromium must be
 * installed ({@link HeadlessChromium}).
 */
@Tag(HeadlessChromium.TAG)
class StepsPageRenderTest {
  private static final int WIDTH = 1500;
  private static final int HEIGHT = 1100;

  @TempDir Path profile;

  @Test
  void chromiumRendersThePlotAndTable() throws Exception {
    Path out = Path.of("target", "study-steps");
    Cli.Result result = Cli.run("study", "steps", "--quiet", "--out", out.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    BufferedImage shot = HeadlessChromium.screenshot(out.resolve(StepsStudyCommand.HTML),
        out.resolve("steps-page.png"), profile, WIDTH, HEIGHT);
    // Each sampler's line: 2 px wide over six panels of 420 px, so thousands of pixels of its
    // colour (ddim:1 lies under ddpm:small's dashes: half of its length shows).
    for (int k = 0; k < 5; k++) {
      int colour = StepsPlot.COLOURS[k];
      assertThat(HeadlessChromium.count(shot, shot.getHeight(), rgb -> rgb == colour)).as("pixels of line colour %06x", colour)
          .isGreaterThan(500);
    }
    // The reference levels: black dashes and grey dots across every panel.
    assertThat(HeadlessChromium.count(shot, shot.getHeight(), rgb -> rgb == 0x808080)).as("grey dotted level").isGreaterThan(300);
    // The table's reference rows are shaded.
    assertThat(HeadlessChromium.count(shot, shot.getHeight(), rgb -> rgb == 0xeef4fb)).as("reference rows").isGreaterThan(2000);
  }
}
