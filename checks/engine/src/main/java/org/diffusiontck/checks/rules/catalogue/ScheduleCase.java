package org.diffusiontck.checks.rules.catalogue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.rules.Gen;

/**
 * A case of the schedule rules: one schedule; shrinks towards smaller T, never below {@code minT},
 * the smallest T at which the declaration defines the schedule ({@link Gen#minSteps}).
 */
record ScheduleCase(ScheduleSpec spec, int minT) {
  ScheduleCase(ScheduleSpec spec) {
    this(spec, 1);
  }

  static ScheduleCase any(SplittableRandom r, Declaration d) {
    return of(Gen.schedule(r, d), d);
  }

  private static ScheduleCase of(ScheduleSpec s, Declaration d) {
    return new ScheduleCase(s, Gen.minSteps(d, s.kind()));
  }

  /** A declared schedule without zero-terminal-SNR rescaling. */
  static ScheduleCase plain(SplittableRandom r, Declaration d) {
    return plain(r, d, k -> true);
  }

  /** A declared schedule of an {@code allowed} kind, without zero-terminal-SNR rescaling. */
  static ScheduleCase plain(SplittableRandom r, Declaration d, Predicate<ScheduleKind> allowed) {
    return plain(r, d, allowed, 1);
  }

  /** A declared schedule of an {@code allowed} kind with T ≥ {@code minT}, not rescaled. */
  static ScheduleCase plain(SplittableRandom r, Declaration d, Predicate<ScheduleKind> allowed,
      int minT) {
    ScheduleSpec s = Gen.schedule(r, d, allowed, minT);
    return of(s.zeroTerminalSnr() ? withoutRescaling(s) : s, d);
  }

  List<ScheduleCase> shrinks() {
    List<ScheduleCase> out = new ArrayList<>();
    int T = spec.steps();
    int least = Math.max(minT, spec.zeroTerminalSnr() ? 2 : 1);
    for (int smaller : new int[] {least, T / 2, T - 1}) {
      if (smaller >= least && smaller < T) {
        out.add(new ScheduleCase(withSteps(spec, smaller), minT));
      }
    }
    return out;
  }

  /** The schedule cut to its first {@code T ≤ s.steps()} steps. */
  static ScheduleSpec withSteps(ScheduleSpec s, int T) {
    if (T > s.steps()) {
      throw new IllegalArgumentException("a schedule is only shortened, got T = " + T + " > "
          + s.steps());
    }
    ScheduleSpec base = s.kind() == ScheduleKind.BETAS
        ? ScheduleSpec.betas(Arrays.copyOf(s.betas(), T))
        : new ScheduleSpec(s.kind(), T, s.betaStart(), s.betaEnd(), s.cosineOffset(),
            s.cosineMaxBeta(), null, false);
    return s.zeroTerminalSnr() ? base.withZeroTerminalSnr() : base;
  }

  static ScheduleSpec withoutRescaling(ScheduleSpec s) {
    return new ScheduleSpec(s.kind(), s.steps(), s.betaStart(), s.betaEnd(), s.cosineOffset(),
        s.cosineMaxBeta(), s.betas(), false);
  }

  @Override
  public String toString() {
    return "{schedule: " + spec + "}";
  }
}
