package org.diffusiontck.golden.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;

/**
 * The noise schedule as a manifest states it: the kind by its label ("linear", "scaled-linear",
 * "cosine", "sigmoid"), T, the parameters the kind uses (the others absent) and whether it is
 * rescaled to zero terminal SNR. The record's own form, so that a manifest does not change with
 * how checks' {@link ScheduleSpec} crosses its wire.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleRecord(String kind, int steps, Double betaStart, Double betaEnd,
    Double cosineOffset, Double cosineMaxBeta, boolean zeroTerminalSnr) {

  /** The record of a schedule given by name and parameters (not an explicit β list). */
  public static ScheduleRecord of(ScheduleSpec spec) {
    if (spec.kind() == ScheduleKind.BETAS) {
      throw new IllegalArgumentException("a golden record names its schedule: linear,"
          + " scaled-linear, cosine or sigmoid, not an explicit list of betas");
    }
    return new ScheduleRecord(spec.kind().label(), spec.steps(), spec.betaStart(),
        spec.betaEnd(), spec.cosineOffset(), spec.cosineMaxBeta(), spec.zeroTerminalSnr());
  }

  /** The schedule this record names. */
  public ScheduleSpec spec() {
    return new ScheduleSpec(ScheduleKind.of(kind), steps, betaStart, betaEnd, cosineOffset,
        cosineMaxBeta, null, zeroTerminalSnr);
  }
}
