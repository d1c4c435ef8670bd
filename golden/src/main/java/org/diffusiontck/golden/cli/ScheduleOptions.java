package org.diffusiontck.golden.cli;

import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.reference.schedule.Schedules;
import picocli.CommandLine.Option;

/** The noise schedule of {@code golden record}: the options of {@code tck schedule}. */
final class ScheduleOptions {
  @Option(names = "--schedule", defaultValue = "linear", paramLabel = "SCHEDULE",
      description = "linear (default), scaled-linear, cosine or sigmoid.")
  ScheduleKind kind;

  @Option(names = "--steps", defaultValue = "1000", paramLabel = "T",
      description = "The number of diffusion steps T the model was trained with (default 1000).")
  int steps;

  @Option(names = "--beta-start", paramLabel = "B",
      description = "β_1 of linear and sigmoid (default 1e-4) and of scaled-linear (0.00085).")
  Double betaStart;

  @Option(names = "--beta-end", paramLabel = "B",
      description = "β_T of linear and sigmoid (default 0.02) and of scaled-linear (0.012).")
  Double betaEnd;

  @Option(names = "--cosine-offset", paramLabel = "S",
      description = "cosine only: the offset s (default 0.008).")
  Double cosineOffset;

  @Option(names = "--cosine-max-beta", paramLabel = "M",
      description = "cosine only: the cap on β_t (default 0.999).")
  Double cosineMaxBeta;

  @Option(names = "--zero-terminal-snr",
      description = "Rescale to zero terminal SNR (Lin et al. 2024, Algorithm 1).")
  boolean zeroTerminalSnr;

  /** The schedule the options name, defaults filled in. */
  ScheduleSpec spec() {
    ScheduleSpec spec = switch (kind) {
      case LINEAR -> ScheduleSpec.linear(steps, or(betaStart, Schedules.LINEAR_BETA_START),
          or(betaEnd, Schedules.LINEAR_BETA_END));
      case SCALED_LINEAR -> ScheduleSpec.scaledLinear(steps,
          or(betaStart, Schedules.SCALED_LINEAR_BETA_START),
          or(betaEnd, Schedules.SCALED_LINEAR_BETA_END));
      case SIGMOID -> ScheduleSpec.sigmoid(steps, or(betaStart, Schedules.LINEAR_BETA_START),
          or(betaEnd, Schedules.LINEAR_BETA_END));
      case COSINE -> ScheduleSpec.cosine(steps, or(cosineOffset, Schedules.COSINE_OFFSET),
          or(cosineMaxBeta, Schedules.COSINE_MAX_BETA));
      case BETAS -> throw new IllegalArgumentException(
          "--schedule betas is not offered here: name a linear, scaled-linear, cosine or sigmoid"
              + " schedule");
    };
    return zeroTerminalSnr ? spec.withZeroTerminalSnr() : spec;
  }

  private static double or(Double given, double dflt) {
    return given != null ? given : dflt;
  }
}
