package org.diffusiontck.checks.cli;

import java.util.Map;
import org.diffusiontck.checks.rules.RunSettings;
import picocli.CommandLine.Option;

/** The options every command that runs rules shares: seed, tries, selection, reports. */
final class RuleOptions {
  @Option(
      names = "--seed",
      paramLabel = "S",
      converter = Word64.class,
      defaultValue = "" + RunSettings.DEFAULT_SEED,
      description = "Base seed of the generated cases (default ${DEFAULT-VALUE}); each rule derives"
          + " its own from it and its ID.")
  long seed;

  @Option(
      names = "--tries-factor",
      paramLabel = "F",
      defaultValue = "1",
      description = "Multiplies each rule's number of generated cases (default 1, at most "
          + "10000).")
  double triesFactor;

  @Option(
      names = "--rules",
      paramLabel = "GLOB",
      description = "Only rules whose ID matches, e.g. 'DDIM-*' or 'POST-1,FWD-*'.")
  String rules;

  @Option(
      names = "--report-dir",
      paramLabel = "DIR",
      description = "Write JUnit XML, JSON and Markdown reports into DIR (run and rules: only when"
          + " given; conform: always, by default into tck-reports).")
  java.nio.file.Path reportDir;

  /**
   * The settings; an IllegalArgumentException names a tries factor out of range or an empty
   * report folder.
   */
  RunSettings settings() {
    if (reportDir != null && reportDir.toString().isBlank()) {
      throw new IllegalArgumentException("--report-dir is empty: name a folder");
    }
    return new RunSettings(seed, triesFactor, Map.of());
  }
}
