package org.diffusiontck.checks.reference;

import org.diffusiontck.checks.impl.LinearEndpoints;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;

/** Builds the reference's {@link NoiseSchedule} for a {@link ScheduleSpec}. */
public final class ReferenceSchedules {
  private ReferenceSchedules() {}

  public static NoiseSchedule of(ScheduleSpec spec, LinearEndpoints endpoints) {
    if (spec == null || spec.kind() == null) {
      throw new IllegalArgumentException("schedule must name a kind, got " + spec);
    }
    NoiseSchedule s = switch (spec.kind()) {
      case LINEAR -> Schedules.linear(
          spec.steps(), required("betaStart", spec.betaStart()), required("betaEnd", spec.betaEnd()),
          SameName.in(org.diffusiontck.reference.schedule.LinearEndpoints.class, endpoints));
      case SCALED_LINEAR -> Schedules.scaledLinear(
          spec.steps(), required("betaStart", spec.betaStart()), required("betaEnd", spec.betaEnd()));
      case SIGMOID -> Schedules.sigmoid(
          spec.steps(), required("betaStart", spec.betaStart()), required("betaEnd", spec.betaEnd()));
      case COSINE -> Schedules.cosine(spec.steps(), required("cosineOffset", spec.cosineOffset()),
          required("cosineMaxBeta", spec.cosineMaxBeta()));
      case BETAS -> Schedules.fromBetas(spec.betas() == null ? new double[0] : spec.betas());
    };
    return spec.zeroTerminalSnr() ? Schedules.zeroTerminalSnr(s) : s;
  }

  private static double required(String name, Double value) {
    if (value == null) {
      throw new IllegalArgumentException("schedule parameter " + name + " is missing");
    }
    return value;
  }
}
