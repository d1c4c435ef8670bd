package org.diffusiontck.checks.rules;

import java.util.TreeSet;
import org.diffusiontck.checks.impl.Spacing;

/**
 * The timestep selections of {@code spec/CONVENTIONS.md} §10, written from their sources' own
 * arithmetic and translated from the sources' zero-based index i to the papers' t = i + 1; each
 * returns t_1 &gt; … &gt; t_N. Rounding is numpy's and Python's, half to even ({@link Math#rint}).
 * Where a source computes in floating point (numpy's {@code linspace} and {@code arange}, Python's
 * accumulated fractional stride) the same double operations are replayed, since a tie rounds
 * differently once a product is a few ulps off it (T = 7, N = 6 trailing: 3.4999999999999996).
 *
 * <p>Besides, {@link #firstAndLast} gives each mode's first and last element in exact integer
 * arithmetic, a second route that needs no floating point at all.
 */
public final class TimestepDefinitions {
  private TimestepDefinitions() {}

  /**
   * diffusers "linspace": {@code np.linspace(0, T - 1, N).round()[::-1]}; numpy forms element k as
   * k · ((T − 1)/(N − 1)) and sets the last to T − 1 exactly.
   */
  public static int[] linspace(int T, int N) {
    int[] t = new int[N];
    double step = N > 1 ? (double) (T - 1) / (N - 1) : 0;
    for (int k = 0; k < N; k++) {
      double i = N > 1 && k == N - 1 ? T - 1 : k * step;
      t[N - 1 - k] = (int) Math.rint(i) + 1;
    }
    return t;
  }

  /** diffusers "leading": {@code (np.arange(0, N) * (T // N))[::-1] + steps_offset}, integers. */
  public static int[] leading(int T, int N, int offset) {
    int[] t = new int[N];
    for (int k = 0; k < N; k++) {
      t[N - 1 - k] = k * (T / N) + offset + 1;
    }
    return t;
  }

  /**
   * diffusers "trailing": {@code np.round(np.arange(T, 0, -T / N)) - 1}. numpy's arange stores
   * v_0 = T and v_1 = T + (−T/N), then fills v_k = v_0 + k (v_1 − v_0); it may hold N + 1 values
   * (T = 1000, N = 61), of which the first N are the selection.
   */
  public static int[] trailing(int T, int N) {
    double v1 = T + -((double) T / N);
    double delta = v1 - T;
    int[] t = new int[N];
    for (int k = 0; k < N; k++) {
      double v = k == 0 ? T : k == 1 ? v1 : T + k * delta;
      t[k] = (int) Math.rint(v);
    }
    return t;
  }

  /**
   * improved-diffusion's {@code space_timesteps}: "ddimN" takes {@code range(0, T, d)} for the
   * smallest d in 1..T−1 with N elements; "c_1,…,c_m" cuts T into m sections (the first T mod m one
   * longer) and takes c_j indices start + round(x), x = 0, f, 2f, … accumulated by addition,
   * f = (n_j − 1)/(c_j − 1) (1 when c_j ≤ 1). Returns null where the string has no selection.
   */
  public static int[] sections(int T, String sections) {
    TreeSet<Integer> indices = new TreeSet<>();
    if (sections.startsWith("ddim")) {
      int d = ddimStride(T, Integer.parseInt(sections.substring(4)));
      if (d < 0) {
        return null;
      }
      for (int i = 0; i < T; i += d) {
        indices.add(i);
      }
    } else {
      String[] parts = sections.split(",");
      int start = 0;
      for (int j = 0; j < parts.length; j++) {
        int c = Integer.parseInt(parts[j].trim());
        int size = T / parts.length + (j < T % parts.length ? 1 : 0);
        double f = c <= 1 ? 1 : (double) (size - 1) / (c - 1);
        double x = 0;
        for (int k = 0; k < c; k++) {
          indices.add(start + (int) Math.rint(x));
          x += f;
        }
        start += size;
      }
    }
    return indices.descendingSet().stream().mapToInt(i -> i + 1).toArray();
  }

  /**
   * Where the step from each τ_k lands ({@code spec/CONVENTIONS.md} §9): the next selected
   * timestep τ_{k+1} (0 after the last), or under a fixed stride max(τ_k − ⌊T/N⌋, 0), N the
   * number selected.
   */
  public static int[] previous(int T, int[] tau, boolean fixedStride) {
    int[] s = new int[tau.length];
    for (int k = 0; k < tau.length; k++) {
      s[k] = fixedStride ? Math.max(tau[k] - T / tau.length, 0)
          : k + 1 < tau.length ? tau[k + 1] : 0;
    }
    return s;
  }

  /**
   * The largest stride ⌊T/N⌋ (N in 1..T) that is at most k ≥ 1: N = ⌊T/(k + 1)⌋ + 1 is the
   * smallest N with T/N &lt; k + 1, and ⌊T/N⌋ does not increase with N. Stride 1 (N = T) is always
   * one; so is T (N = 1).
   */
  public static int strideAtMost(int T, int k) {
    return T / (T / (k + 1) + 1);
  }

  /**
   * Whether a fixed-stride sampler of T steps takes the step t → s (1 ≤ t ≤ T, 0 ≤ s &lt; t): s = t −
   * ⌊T/N⌋ for some N in 1..T, or s = 0, which every t reaches with N = 1 (t − T ≤ 0 lands on the
   * final ᾱ).
   */
  public static boolean strideTakes(int T, int t, int s) {
    return s == 0 || strideAtMost(T, t - s) == t - s;
  }

  /** The smallest stride d in 1..T−1 with ⌈T/d⌉ = N, or −1 if there is none. */
  public static int ddimStride(int T, int N) {
    for (int d = 1; d < T; d++) {
      if ((T + d - 1) / d == N) {
        return d;
      }
    }
    return -1;
  }

  /** round-half-to-even of the rational p/q (p ≥ 0, q &gt; 0) in integers. */
  static int roundHalfEven(int p, int q) {
    int whole = p / q;
    int twice = 2 * (p % q);
    return twice > q || (twice == q && whole % 2 == 1) ? whole + 1 : whole;
  }

  /**
   * {t_1, t_N} of each mode by exact integer arithmetic on its definition: LINSPACE {T, 1} (N ≥ 2);
   * LEADING {(N − 1)⌊T/N⌋ + offset + 1, offset + 1}; TRAILING {T, round(T/N)}, since v_{N−1} = T/N
   * and where that is a tie T/N is a short dyadic number that every double operation above keeps
   * exact; SECTIONS "ddimN" {(N − 1)d + 1, 1}; "c_1,…,c_m" from the first and last non-empty
   * sections, the last one's largest index being its start plus its size − 1 when c_j ≥ 2 (the
   * accumulated stride reaches size − 1 within a few ulps).
   */
  public static int[] firstAndLast(Spacing spacing, int T,
      int N, int offset, String sections) {
    return switch (spacing) {
      case LINSPACE -> N == 1 ? new int[] {1, 1} : new int[] {T, 1};
      case LEADING -> new int[] {(N - 1) * (T / N) + offset + 1, offset + 1};
      case TRAILING -> new int[] {T, roundHalfEven(T, N)};
      case SECTIONS -> sectionsFirstAndLast(T, N, sections);
    };
  }

  private static int[] sectionsFirstAndLast(int T, int N, String sections) {
    if (sections == null) {
      return N == 1 ? new int[] {1, 1} : new int[] {T, 1};
    }
    if (sections.startsWith("ddim")) {
      return new int[] {(N - 1) * ddimStride(T, N) + 1, 1};
    }
    String[] parts = sections.split(",");
    int m = parts.length;
    int first = 0;
    int last = 0;
    int start = 0;
    for (int j = 0; j < m; j++) {
      int c = Integer.parseInt(parts[j].trim());
      int size = T / m + (j < T % m ? 1 : 0);
      if (c > 0 && last == 0) {
        last = start + 1;
      }
      if (c > 0) {
        first = start + (c >= 2 ? size : 1);
      }
      start += size;
    }
    return new int[] {first, last};
  }
}
