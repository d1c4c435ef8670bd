package org.diffusiontck.checks.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tck study}: exact studies of the samplers on the oracles. */
@Command(
    name = "study",
    description = "Exact studies of the samplers on the oracles: 'tck study steps' (DDIM's"
        + " steps against quality).",
    subcommands = {StepsStudyCommand.class, PointsStudyCommand.class})
final class StudyCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  /** {@code tck study} alone is a usage error: it needs a study. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing study: steps or points");
  }
}
