package org.diffusiontck.golden.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.diffusiontck.checks.cli.TckExtension;

/**
 * Adds {@code tck golden} and {@code tck study digits} to the command line; {@code tck run}
 * verifies the shipped record.
 */
public final class GoldenExtension implements TckExtension {
  @Override
  public List<Object> subcommands() {
    return List.of(new GoldenCommand());
  }

  @Override
  public List<Object> studies() {
    return List.of(new DigitsStudyCommand());
  }

  @Override
  public List<List<String>> runSteps(Path reportDir) {
    List<String> verify = List.of("golden", "verify", "--quiet");
    return List.of(reportDir == null ? verify : Stream.concat(verify.stream(),
        Stream.of("--report", reportDir.resolve("golden").toString())).toList());
  }
}
