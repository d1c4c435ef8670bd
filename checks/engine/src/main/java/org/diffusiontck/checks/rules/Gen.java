package org.diffusiontck.checks.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.LinearEndpoints;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Tensor;

/**
 * Generators for rule cases. Schedules are drawn from the kinds an implementation declares, with
 * T biased towards the edges (1, 2, 3 and 1000) where off-by-one bugs live; timesteps towards t = 1
 * and t = T. Tensors are portable noise from a seed, so a case is reproduced from its description.
 */
public final class Gen {
  private Gen() {}

  /** The largest T drawn; rule tolerances are argued for T up to this. */
  public static final int MAX_T = 1000;

  /** A schedule among those declared, with the published default parameters of its kind. */
  public static ScheduleSpec schedule(SplittableRandom r, Declaration d) {
    return schedule(r, d, k -> true);
  }

  /**
   * A schedule among the declared kinds that {@code allowed} accepts (at least one must), rescaled
   * to zero terminal SNR a fifth of the time where declared.
   */
  public static ScheduleSpec schedule(
      SplittableRandom r, Declaration d, java.util.function.Predicate<ScheduleKind> allowed) {
    return schedule(r, d, allowed, 1);
  }

  /**
   * As {@link #schedule(SplittableRandom, Declaration, java.util.function.Predicate)}, with T at
   * least {@code minT}: each kind is drawn at its own length, never padded (explicit betas padded
   * with β = 0 would be an invalid schedule).
   */
  public static ScheduleSpec schedule(SplittableRandom r, Declaration d,
      java.util.function.Predicate<ScheduleKind> allowed, int minT) {
    List<ScheduleKind> kinds = new ArrayList<>(d.schedules());
    kinds.removeIf(allowed.negate());
    kinds.sort(null);
    ScheduleKind kind = kinds.get(r.nextInt(kinds.size()));
    ScheduleSpec spec = schedule(r, d, kind, Math.max(minT, steps(r)));
    if (d.zeroTerminalSnr() && spec.steps() >= 2 && r.nextInt(5) == 0) {
      spec = spec.withZeroTerminalSnr();
    }
    return spec;
  }

  /**
   * A T = 1000 schedule for the statistical rules: the first declared kind in the order linear,
   * scaled-linear, cosine, sigmoid, explicit betas.
   */
  public static ScheduleSpec longSchedule(Declaration d) {
    for (ScheduleKind k : ScheduleKind.values()) {
      if (d.schedules().contains(k)) {
        return schedule(new SplittableRandom(MAX_T), k, MAX_T);
      }
    }
    throw new IllegalArgumentException("the declaration names no schedule kind");
  }

  /**
   * The smallest T at which a schedule of {@code kind} is valid under the declaration: 21 for the
   * linear kind under improved-diffusion's endpoints scaled by 1000/T, whose β_T = 0.02 · 1000/T is
   * below 1 only from T = 21 on (T = 20 gives β_20 = 1 and ᾱ_20 = 0, where x̂_0 is undefined);
   * 1 otherwise.
   */
  public static int minSteps(Declaration d, ScheduleKind kind) {
    int valid = kind == ScheduleKind.LINEAR
        && d.conventions().linearEndpoints() == LinearEndpoints.SCALED_BY_1000_OVER_T ? 21 : 1;
    return Math.max(valid, d.minSteps());
  }

  /** As {@link #schedule(SplittableRandom, ScheduleKind, int)}, T raised to {@link #minSteps}. */
  public static ScheduleSpec schedule(SplittableRandom r, Declaration d, ScheduleKind kind,
      int T) {
    return schedule(r, kind, Math.max(T, minSteps(d, kind)));
  }

  /** A schedule of the given kind and length with typical parameters. */
  public static ScheduleSpec schedule(SplittableRandom r, ScheduleKind kind, int T) {
    return switch (kind) {
      case LINEAR -> ScheduleSpec.linear(T, 1e-4, 0.02);
      case SCALED_LINEAR -> ScheduleSpec.scaledLinear(T, 0.00085, 0.012);
      case SIGMOID -> ScheduleSpec.sigmoid(T, 1e-4, 0.02);
      case COSINE -> ScheduleSpec.cosine(T, 0.008, 0.999);
      case BETAS -> ScheduleSpec.betas(randomBetas(r, T));
    };
  }

  /** T in 1..MAX_T: one of 1, 2, 3, MAX_T a third of the time, else uniform. */
  public static int steps(SplittableRandom r) {
    return r.nextInt(3) == 0 ? new int[] {1, 2, 3, MAX_T}[r.nextInt(4)] : 1 + r.nextInt(MAX_T);
  }

  /** T as {@link #steps(SplittableRandom)}, at least the declared {@code minSteps}. */
  public static int steps(SplittableRandom r, Declaration d) {
    return Math.max(steps(r), d.minSteps());
  }

  /** t in lo..T: lo, lo + 1, T − 1 or T a third of the time, else uniform. */
  public static int timestep(SplittableRandom r, int lo, int T) {
    if (r.nextInt(3) == 0) {
      int[] edges = {lo, Math.min(lo + 1, T), Math.max(lo, T - 1), T};
      return edges[r.nextInt(edges.length)];
    }
    return lo + r.nextInt(T - lo + 1);
  }

  /** A shape [B, …] with B in 1..3 and one to three trailing dimensions of size 1..4. */
  public static long[] shape(SplittableRandom r) {
    int rank = 2 + r.nextInt(3);
    long[] shape = new long[rank];
    shape[0] = 1 + r.nextInt(3);
    for (int i = 1; i < rank; i++) {
      shape[i] = 1 + r.nextInt(4);
    }
    return shape;
  }

  /** Portable standard normals of the given shape from (seed, stream). */
  public static Tensor normal(long seed, long stream, long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return new Tensor(shape.clone(), new PortableNormals(seed, stream).next((int) n));
  }

  /** β_1..β_T increasing from about 1e-4 towards 0.05, jittered. */
  private static double[] randomBetas(SplittableRandom r, int T) {
    double[] betas = new double[T];
    for (int i = 0; i < T; i++) {
      double f = T == 1 ? 0 : (double) i / (T - 1);
      betas[i] = (1e-4 + 0.05 * f) * (0.5 + r.nextDouble());
    }
    return betas;
  }
}
