package org.diffusiontck.checks.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.Tensor;

/**
 * The common case of tensor rules: a schedule, a shape [B, …], one timestep t per batch element
 * (and an earlier s where the rule needs one), and a seed for the tensors. Shrinking goes towards a
 * single scalar element and smaller t.
 */
public record TensorCase(ScheduleSpec schedule, long[] shape, int[] t, int[] s, long seed) {

  /** A case with t ≥ tMin and s ∈ 0..t−1 (s = t − 1 half of the time). */
  public static TensorCase generate(SplittableRandom r, Declaration d, int tMin) {
    ScheduleSpec spec = Gen.schedule(r, d);
    long[] shape = Gen.shape(r);
    int b = (int) shape[0];
    int[] t = new int[b];
    int[] s = new int[b];
    for (int i = 0; i < b; i++) {
      t[i] = Gen.timestep(r, Math.min(tMin, spec.steps()), spec.steps());
      s[i] = t[i] == 0 ? 0 : (r.nextBoolean() ? t[i] - 1 : r.nextInt(t[i]));
    }
    return new TensorCase(spec, shape, t, s, r.nextLong());
  }

  /** Standard normals of the case's shape, stream k. */
  public Tensor normal(long k) {
    return Gen.normal(seed, k, shape);
  }

  public int batch() {
    return (int) shape[0];
  }

  /** Simpler cases: one element of shape [1, 1], then smaller timesteps. */
  public List<TensorCase> shrinks() {
    List<TensorCase> out = new ArrayList<>();
    if (shape.length > 2 || shape[0] > 1 || shape[1] > 1) {
      for (int i = 0; i < t.length; i++) {
        out.add(new TensorCase(schedule, new long[] {1, 1}, new int[] {t[i]}, new int[] {s[i]}, seed));
      }
    }
    if (t.length == 1 && t[0] > 1) {
      int tt = t[0];
      int ss = s[0];
      out.add(new TensorCase(schedule, shape, new int[] {1}, new int[] {0}, seed));
      out.add(new TensorCase(schedule, shape, new int[] {tt - 1}, new int[] {Math.min(ss, tt - 2)},
          seed));
    }
    return out;
  }

  @Override
  public String toString() {
    return "{schedule: " + schedule + ", shape: " + Arrays.toString(shape) + ", t: "
        + Arrays.toString(t) + ", s: " + Arrays.toString(s) + ", tensor seed: " + seed + "}";
  }
}
