package org.diffusiontck.checks.conform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The tests' one prerequisite besides Java and Maven (README.md): {@code python3} on the PATH.
 * The child-process tests run the Python example (spec/examples/python, standard library only)
 * and scripted broken children; without Python they fail with "python3: not found" from the
 * shell, and this test says what to install.
 */
class Python3Test {
  @Test
  void python3IsOnThePath() throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("python3 is not on the PATH: the tests run the Python example"
          + " through the child-process protocol. Install Python 3: 'apt-get install -y python3'"
          + " (Debian, Ubuntu), 'brew install python' (macOS), or from python.org", e);
    }
    String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("python3 --version ended").isTrue();
    assertThat(version).as("python3 --version").startsWith("Python 3.");
  }
}
