package org.diffusiontck.checks.impl;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.Objects;

/**
 * Which schedule an operation runs on. Parameters that a kind does not use are null: linear,
 * scaled-linear and sigmoid use betaStart and betaEnd; cosine uses cosineOffset and cosineMaxBeta;
 * betas uses betas (β_1..β_T). zeroTerminalSnr applies the rescaling of Lin et al. 2024.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleSpec(
    ScheduleKind kind,
    int steps,
    Double betaStart,
    Double betaEnd,
    Double cosineOffset,
    Double cosineMaxBeta,
    double[] betas,
    boolean zeroTerminalSnr) {

  /**
   * The linear schedule.
   *
   * @param T the number of diffusion steps
   * @param betaStart β_1
   * @param betaEnd β_T
   * @return the schedule
   */
  public static ScheduleSpec linear(int T, double betaStart, double betaEnd) {
    return new ScheduleSpec(ScheduleKind.LINEAR, T, betaStart, betaEnd, null, null, null, false);
  }

  /**
   * The scaled-linear schedule.
   *
   * @param T the number of diffusion steps
   * @param betaStart β_1
   * @param betaEnd β_T
   * @return the schedule
   */
  public static ScheduleSpec scaledLinear(int T, double betaStart, double betaEnd) {
    return new ScheduleSpec(
        ScheduleKind.SCALED_LINEAR, T, betaStart, betaEnd, null, null, null, false);
  }

  /**
   * The sigmoid schedule: β_t = β_start + (β_end − β_start) · sigmoid(…).
   *
   * @param T the number of diffusion steps
   * @param betaStart β_start
   * @param betaEnd β_end
   * @return the schedule
   */
  public static ScheduleSpec sigmoid(int T, double betaStart, double betaEnd) {
    return new ScheduleSpec(ScheduleKind.SIGMOID, T, betaStart, betaEnd, null, null, null, false);
  }

  /**
   * The cosine schedule.
   *
   * @param T the number of diffusion steps
   * @param offset s in f(t) = cos²((t/T + s)/(1 + s) · π/2)
   * @param maxBeta the cap on β_t
   * @return the schedule
   */
  public static ScheduleSpec cosine(int T, double offset, double maxBeta) {
    return new ScheduleSpec(ScheduleKind.COSINE, T, null, null, offset, maxBeta, null, false);
  }

  /**
   * An explicit schedule.
   *
   * @param betas β_1..β_T
   * @return the schedule, T = betas.length
   */
  public static ScheduleSpec betas(double... betas) {
    return new ScheduleSpec(
        ScheduleKind.BETAS, betas.length, null, null, null, null, betas.clone(), false);
  }

  /**
   * The same schedule rescaled to zero terminal SNR.
   *
   * @return the rescaled schedule
   */
  public ScheduleSpec withZeroTerminalSnr() {
    return new ScheduleSpec(
        kind, steps, betaStart, betaEnd, cosineOffset, cosineMaxBeta, betas, true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScheduleSpec s
        && kind == s.kind
        && steps == s.steps
        && Objects.equals(betaStart, s.betaStart)
        && Objects.equals(betaEnd, s.betaEnd)
        && Objects.equals(cosineOffset, s.cosineOffset)
        && Objects.equals(cosineMaxBeta, s.cosineMaxBeta)
        && Arrays.equals(betas, s.betas)
        && zeroTerminalSnr == s.zeroTerminalSnr;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, steps, betaStart, betaEnd, cosineOffset, cosineMaxBeta,
        Arrays.hashCode(betas), zeroTerminalSnr);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(kind.label()).append("(T=").append(steps);
    if (betaStart != null) {
      b.append(", betaStart=").append(betaStart).append(", betaEnd=").append(betaEnd);
    }
    if (cosineOffset != null) {
      b.append(", s=").append(cosineOffset).append(", maxBeta=").append(cosineMaxBeta);
    }
    if (betas != null) {
      b.append(", betas=").append(Arrays.toString(Arrays.copyOf(betas, Math.min(4, betas.length))));
      if (betas.length > 4) {
        b.setLength(b.length() - 1);
        b.append(", … ").append(betas.length - 4).append(" more]");
      }
    }
    return b.append(zeroTerminalSnr ? ", zero terminal SNR)" : ")").toString();
  }
}
