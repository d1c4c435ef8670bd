package org.diffusiontck.checks.rules;

import org.apache.commons.math3.dfp.Dfp;
import org.apache.commons.math3.dfp.DfpField;
import org.apache.commons.math3.dfp.DfpMath;
import org.diffusiontck.checks.impl.LinearEndpoints;
import org.diffusiontck.checks.impl.ScheduleSpec;

/**
 * β_1..β_T of each named schedule evaluated from its defining equation in 40-digit arithmetic
 * (Commons Math {@link Dfp}), rounded once to double: the independent route of SCHED-6/SCHED-7.
 * Written from the papers, not from the reference.
 */
public final class ScheduleDefinitions {
  private static final DfpField F = new DfpField(40);

  private ScheduleDefinitions() {}

  /** β_t for t = 0..T (β_0 = 0) of a named schedule, before any zero-terminal-SNR rescaling. */
  public static double[] betas(ScheduleSpec spec, LinearEndpoints endpoints) {
    int T = spec.steps();
    double[] out = new double[T + 1];
    for (int t = 1; t <= T; t++) {
      out[t] = beta(spec, endpoints, t).toDouble();
    }
    return out;
  }

  private static Dfp beta(ScheduleSpec spec, LinearEndpoints endpoints, int t) {
    int T = spec.steps();
    // f = (t − 1)/(T − 1), the position of step t between the endpoints (0 when T = 1)
    Dfp f = T == 1 ? F.getZero() : F.newDfp(t - 1).divide(T - 1);
    return switch (spec.kind()) {
      case LINEAR -> {
        // Ho et al. 2020 §4: linear from β_start to β_end; optionally both scaled by 1000/T
        Dfp scale = endpoints == LinearEndpoints.SCALED_BY_1000_OVER_T
            ? F.newDfp(1000).divide(T) : F.getOne();
        Dfp a = F.newDfp(spec.betaStart()).multiply(scale);
        Dfp b = F.newDfp(spec.betaEnd()).multiply(scale);
        yield a.add(b.subtract(a).multiply(f));
      }
      case SCALED_LINEAR -> {
        // Rombach et al. 2022: linear in √β
        Dfp a = F.newDfp(spec.betaStart()).sqrt();
        Dfp b = F.newDfp(spec.betaEnd()).sqrt();
        Dfp r = a.add(b.subtract(a).multiply(f));
        yield r.multiply(r);
      }
      case SIGMOID -> {
        // β_start + σ(−6 + 12 f)(β_end − β_start), σ(x) = 1/(1 + e^−x)
        Dfp x = F.newDfp(-6).add(F.newDfp(12).multiply(f));
        Dfp sigma = F.getOne().divide(F.getOne().add(DfpMath.exp(x.negate())));
        Dfp a = F.newDfp(spec.betaStart());
        yield a.add(F.newDfp(spec.betaEnd()).subtract(a).multiply(sigma));
      }
      case COSINE -> {
        // Nichol & Dhariwal 2021 eq. 17: β_t = min(1 − f(t)/f(t − 1), maxBeta)
        Dfp b = F.getOne().subtract(cosineF(spec, t).divide(cosineF(spec, t - 1)));
        Dfp cap = F.newDfp(spec.cosineMaxBeta());
        yield b.greaterThan(cap) ? cap : b;
      }
      case BETAS -> F.newDfp(spec.betas()[t - 1]);
    };
  }

  /** f(t) = cos²(((t/T + s)/(1 + s)) · π/2). */
  private static Dfp cosineF(ScheduleSpec spec, int t) {
    Dfp s = F.newDfp(spec.cosineOffset());
    Dfp arg = F.newDfp(t).divide(spec.steps()).add(s).divide(F.getOne().add(s))
        .multiply(F.getPi()).divide(2);
    Dfp c = DfpMath.cos(arg);
    return c.multiply(c);
  }
}
