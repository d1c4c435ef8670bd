package org.diffusiontck.checks.conform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The unit tests of the library adapters' glue (spec/examples/common/test_*.py), which need no
 * library and no torch, run under the machine's python3.
 */
class AdapterGlueTest {
  @Test
  void glueTestsPass() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s",
        KitPaths.root().resolve("spec/examples/common").toString(), "-p", "test_*.py")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    // a safety net only: the tests take milliseconds, but the machine may be loaded
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("\nOK");
  }
}
