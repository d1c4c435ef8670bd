package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.diffusiontck.golden.cli.GoldenExtension;
import org.junit.jupiter.api.Test;

/** {@code tck run --report-dir DIR} puts the golden verify's reports under DIR, not elsewhere. */
class GoldenExtensionTest {
  @Test
  void theGoldenStepWritesUnderTheRunsReportFolder() {
    assertThat(new GoldenExtension().runSteps(Path.of("out")))
        .containsExactly(List.of("golden", "verify", "--quiet", "--report",
            Path.of("out", "golden").toString()));
    assertThat(new GoldenExtension().runSteps(null))
        .containsExactly(List.of("golden", "verify", "--quiet"));
  }
}
