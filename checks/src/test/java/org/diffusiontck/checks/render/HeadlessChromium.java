package org.diffusiontck.checks.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import javax.imageio.ImageIO;

/**
 * A page as a person sees it: headless Chromium renders an HTML file to a PNG, which the render
 * tests (tagged {@value #TAG}, run by {@code mvn -B -ntp verify -Pchromium}) read back pixel by
 * pixel. The browser is {@code /usr/bin/chromium} ({@code apt-get install -y chromium} on Debian;
 * .ci/run installs it) or the executable {@code -Dchromium.path} names; a missing browser fails
 * the test, never skips it.
 */
public final class HeadlessChromium {
  /** The JUnit tag of the tests that need Chromium; the {@code chromium} profile runs them. */
  public static final String TAG = "chromium";

  private static final Path EXECUTABLE =
      Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));

  private HeadlessChromium() {}

  /**
   * Renders {@code html} at {@code width} × {@code height} CSS pixels to {@code png}.
   *
   * @param profile an empty directory for the browser's profile and log
   * @return the screenshot
   */
  public static BufferedImage screenshot(Path html, Path png, Path profile, int width,
      int height) throws IOException, InterruptedException {
    if (!Files.isExecutable(EXECUTABLE)) {
      fail("this test renders a page with " + EXECUTABLE + ", which is missing: install"
          + " Chromium ('apt-get install -y chromium' on Debian; .ci/run does this) or name it"
          + " with -Dchromium.path=<executable>");
    }
    Files.deleteIfExists(png);
    // The flags keep a browser started as root, offline and without a display, from reaching
    // for the network or a GPU.
    List<String> command = List.of(EXECUTABLE.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        "--user-data-dir=" + profile, "--screenshot=" + png.toAbsolutePath(),
        "--window-size=" + width + "," + height, html.toAbsolutePath().toUri().toString());
    Path log = profile.resolve("chromium.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    // A safety net, not an assertion about speed: a loaded machine may take a while.
    if (!p.waitFor(600, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("Chromium did not finish within 600 s; its log: " + Files.readString(log));
    }
    assertThat(Files.exists(png)).as("Chromium wrote " + png + "; its log: "
        + Files.readString(log)).isTrue();
    BufferedImage shot = ImageIO.read(png.toFile());
    assertThat(shot.getWidth()).isEqualTo(width);
    return shot;
  }

  /**
   * How many pixels of the top {@code rows} rows have a colour (0xRRGGBB) that matches.
   *
   * @return the count
   */
  public static int count(BufferedImage img, int rows, IntPredicate colour) {
    int n = 0;
    for (int y = 0; y < Math.min(rows, img.getHeight()); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if (colour.test(img.getRGB(x, y) & 0xFFFFFF)) {
          n++;
        }
      }
    }
    return n;
  }
}
