package org.diffusiontck.golden.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The record, the tolerances and the report folder of {@code golden verify} and compare. */
final class RecordOptions {
  @Option(names = "--golden", paramLabel = "DIR",
      description = "The golden record (default: the shipped one, golden/digits).")
  private Path golden;

  @Option(names = "--environment", paramLabel = "KEY",
      description = "Hold to the record's tolerances for this environment, e.g. cpu-float32 or"
          + " gpu-float16 (default: where the model runs, or what the candidate's"
          + " candidate.json names).")
  String environment;

  @Option(names = "--report", defaultValue = "tck-reports/golden", paramLabel = "DIR",
      description = "Where the HTML, JSON and JUnit XML reports go (default"
          + " tck-reports/golden).")
  Path report;

  @Option(names = "--quiet",
      description = "Print only the failed checks, the notes and the summary.")
  boolean quiet;

  /** The record's folder. */
  Path golden() {
    return golden != null ? golden : GoldenCommand.shippedRecord();
  }
}
