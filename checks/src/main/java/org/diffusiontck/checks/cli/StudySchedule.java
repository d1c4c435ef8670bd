package org.diffusiontck.checks.cli;

import org.diffusiontck.reference.schedule.NoiseSchedule;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The schedule options of the oracle studies: a named schedule with its defaults, and T. */
final class StudySchedule {
  @Option(
      names = "--schedule",
      defaultValue = "linear",
      paramLabel = "SCHEDULE",
      description = "linear (default), scaled-linear, cosine or sigmoid, with the defaults of"
          + " 'tck schedule'.")
  ScheduleCommand.Kind kind;

  @Option(
      names = "--diffusion-steps",
      defaultValue = "1000",
      paramLabel = "T",
      description = "The number of diffusion steps T (default 1000).")
  int diffusionSteps;

  /** The schedule; a usage error if T &lt; 1. */
  NoiseSchedule schedule(CommandSpec spec) {
    if (diffusionSteps < 1) {
      throw new ParameterException(spec.commandLine(),
          "--diffusion-steps must be at least 1, got " + diffusionSteps);
    }
    return kind.withDefaults(diffusionSteps);
  }
}
