package org.diffusiontck.reference.sampling;

import java.util.Arrays;
import java.util.TreeSet;
import org.diffusiontck.reference.Require;

/**
 * The N paper timesteps t_1 &gt; t_2 &gt; … &gt; t_N in 1..T that a sampler visits, strictly
 * decreasing, with the selection rules of the well-known codebases ({@link Spacing}) translated
 * from their zero-based index i to the papers' t = i + 1. Rounding is numpy's and Python's: half
 * to even ({@link Math#rint}).
 *
 * <p>Worked example, T = 10 and N = 3: LINSPACE [10, 5, 1]; LEADING with offset 0 [7, 4, 1], with
 * offset 1 [8, 5, 2]; TRAILING [10, 7, 3]; SECTIONS "3" [10, 5, 1], "ddim3" [9, 5, 1].
 *
 * <p>Derivation: {@code spec/derivations/ddpm.md} §3; {@code spec/derivations/ddim.md} §8.
 * Its "In the code" table names this class's methods and the rules that check them.
 */
public final class Timesteps {
  private final int T;
  private final int[] t;
  /** position[τ] = k where t_k = τ, else −1: the O(1) inverse of the list. */
  private final int[] position;

  private Timesteps(int T, int[] t) {
    this.T = T;
    this.t = t;
    this.position = new int[T + 1];
    Arrays.fill(position, -1);
    for (int k = 0; k < t.length; k++) {
      position[t[k]] = k;
    }
  }

  /**
   * A user-given list: each t in 1..T, strictly decreasing, no duplicates.
   *
   * @throws IllegalArgumentException naming the offending timestep otherwise
   */
  public static Timesteps of(int T, int... t) {
    Require.atLeast("T", T, 1);
    if (t == null || t.length == 0) {
      throw new IllegalArgumentException("timesteps must hold at least one timestep, got none");
    }
    for (int k = 0; k < t.length; k++) {
      Require.timestep("timesteps[" + k + "]", t[k], T);
      Require.atLeast("timesteps[" + k + "]", t[k], 1);
      if (k > 0 && t[k] == t[k - 1]) {
        throw new IllegalArgumentException(
            "timesteps must not repeat, got " + t[k] + " twice in " + Arrays.toString(t));
      }
      if (k > 0 && t[k] > t[k - 1]) {
        throw new IllegalArgumentException(
            "timesteps must be strictly decreasing, got " + t[k - 1] + " then " + t[k] + " in "
                + Arrays.toString(t));
      }
    }
    return new Timesteps(T, t.clone());
  }

  /** Every timestep T, T − 1, …, 1 (Ho et al. 2020, Algorithm 2). */
  public static Timesteps all(int T) {
    Require.atLeast("T", T, 1);
    int[] t = new int[T];
    for (int k = 0; k < T; k++) {
      t[k] = T - k;
    }
    return new Timesteps(T, t);
  }

  /**
   * N timesteps by {@code spacing}; {@code leadingOffset} is LEADING's offset and must be 0 for the
   * other modes. SECTIONS with a count N is the one-section string "N".
   */
  public static Timesteps select(Spacing spacing, int T, int N, int leadingOffset) {
    if (spacing == null) {
      throw new IllegalArgumentException("spacing must not be null");
    }
    if (spacing != Spacing.LEADING && leadingOffset != 0) {
      throw new IllegalArgumentException(
          "leadingOffset applies to LEADING only, got " + leadingOffset + " with " + spacing);
    }
    return switch (spacing) {
      case LINSPACE -> linspace(T, N);
      case LEADING -> leading(T, N, leadingOffset);
      case TRAILING -> trailing(T, N);
      case SECTIONS -> sections(T, Integer.toString(N));
    };
  }

  /**
   * LINSPACE (diffusers' {@code scheduling_ddim.py}, {@code set_timesteps}, {@code
   * timestep_spacing="linspace"}: {@code np.linspace(0, T - 1, N).round()[::-1]}): t = rint(k·δ)
   * + 1 for k = N − 1, …, 0 with δ = (T − 1)/(N − 1) in double precision, the last point being
   * T − 1 exactly; N = 1 gives [1].
   */
  public static Timesteps linspace(int T, int N) {
    checkCount(T, N);
    int[] t = new int[N];
    double delta = N > 1 ? (double) (T - 1) / (N - 1) : 0.0;
    for (int k = 0; k < N; k++) {
      double i = k == N - 1 && N > 1 ? T - 1 : k * delta;
      t[N - 1 - k] = (int) Math.rint(i) + 1;
    }
    return of(T, t);
  }

  /**
   * LEADING (diffusers, {@code timestep_spacing="leading"}: {@code (np.arange(0, N) * (T // N))
   * [::-1] + steps_offset}): t = k·⌊T/N⌋ + offset + 1 for k = N − 1, …, 0.
   *
   * @throws IllegalArgumentException if the offset is negative or puts a timestep above T
   */
  public static Timesteps leading(int T, int N, int offset) {
    checkCount(T, N);
    Require.atLeast("offset", offset, 0);
    int ratio = T / N;
    long first = (long) (N - 1) * ratio + offset + 1; // long: a huge offset must not wrap around
    if (first > T) {
      throw new IllegalArgumentException(
          "offset " + offset + " puts the first LEADING timestep at " + first + " > T = " + T);
    }
    int[] t = new int[N];
    for (int k = 0; k < N; k++) {
      t[N - 1 - k] = k * ratio + offset + 1;
    }
    return of(T, t);
  }

  /**
   * TRAILING (diffusers, {@code timestep_spacing="trailing"}: {@code np.round(np.arange(T, 0,
   * -T / N)) - 1}): t_k = rint(v_k) for k = 0..N−1, with v_k as numpy's {@code arange} fills it:
   * v_0 = T, v_1 = T − r with r = T/N in double precision, and v_k = T + k·(v_1 − v_0).
   *
   * <p>numpy sizes that array ⌈T / r⌉, which is N + 1 for some (T, N) where T/r rounds above N
   * (T = 1000 with N = 61, T = 17 with N = 7): diffusers then gets an extra last element 0 − 1 =
   * −1, an index outside the schedule. The kit keeps the first N elements, which are the intended
   * ones.
   */
  public static Timesteps trailing(int T, int N) {
    checkCount(T, N);
    double v1 = T - (double) T / N;
    double delta = v1 - T;
    int[] t = new int[N];
    for (int k = 0; k < N; k++) {
      double v = k == 0 ? T : k == 1 ? v1 : T + k * delta;
      t[k] = (int) Math.rint(v);
    }
    return of(T, t);
  }

  /**
   * SECTIONS (improved-diffusion's {@code respace.py}, {@code space_timesteps}), i being the
   * zero-based index:
   *
   * <ul>
   *   <li>"ddimN": the smallest integer stride d in 1..T−1 with ⌈T/d⌉ = N, and i ∈ {0, d, 2d, …}
   *       below T; an error if there is none (in particular whenever T = 1).
   *   <li>"c_1,c_2,…,c_m": T is cut into m consecutive sections, the first T mod m of size ⌊T/m⌋ +
   *       1 and the rest of size ⌊T/m⌋; section j of size n_j starting at index a_j contributes
   *       a_j + rint(x) for x = 0, f, 2f, … (c_j values, x accumulated by repeated addition as in
   *       the source) with f = (n_j − 1)/(c_j − 1), or f = 1 when c_j ≤ 1. A count of 0 contributes
   *       nothing; c_j &gt; n_j is an error.
   * </ul>
   *
   * The selected i's, as a set, give t = i + 1 in decreasing order.
   *
   * @throws IllegalArgumentException for a malformed string, a negative count, a section too small
   *     for its count, or no timestep at all
   */
  public static Timesteps sections(int T, String sections) {
    Require.atLeast("T", T, 1);
    if (sections == null || sections.isBlank()) {
      throw new IllegalArgumentException("sections must not be empty, got '" + sections + "'");
    }
    TreeSet<Integer> indices = new TreeSet<>();
    String spec = sections.trim();
    if (spec.startsWith("ddim")) {
      int desired = count(sections, spec.substring("ddim".length()));
      int stride = 1;
      while (stride < T && ceilDiv(T, stride) != desired) {
        stride++;
      }
      if (stride >= T) {
        throw new IllegalArgumentException(
            "sections '" + sections + "' needs an integer stride d in 1.." + (T - 1)
                + " with ceil(T/d) = " + desired + " for T = " + T + ", and there is none");
      }
      for (int i = 0; i < T; i += stride) {
        indices.add(i);
      }
    } else {
      String[] parts = spec.split(",", -1);
      int m = parts.length;
      int start = 0;
      for (int j = 0; j < m; j++) {
        int c = count(sections, parts[j]);
        int size = T / m + (j < T % m ? 1 : 0);
        if (size < c) {
          throw new IllegalArgumentException(
              "sections '" + sections + "': section " + j + " has " + size
                  + " timesteps, cannot take " + c);
        }
        double f = c <= 1 ? 1.0 : (double) (size - 1) / (c - 1);
        double x = 0.0;
        for (int k = 0; k < c; k++) {
          indices.add(start + (int) Math.rint(x));
          x += f;
        }
        start += size;
      }
    }
    if (indices.isEmpty()) {
      throw new IllegalArgumentException("sections '" + sections + "' select no timestep");
    }
    return of(T, indices.descendingSet().stream().mapToInt(i -> i + 1).toArray());
  }

  /** The number of diffusion steps T the timesteps are drawn from. */
  public int T() {
    return T;
  }

  /** N, the number of selected timesteps. */
  public int size() {
    return t.length;
  }

  /** t_{k+1}, the k-th selected timestep (k = 0 is the largest). */
  public int get(int k) {
    if (k < 0 || k >= t.length) {
      throw new IllegalArgumentException("k must be in 0.." + (t.length - 1) + ", got " + k);
    }
    return t[k];
  }

  /** A copy of the selected timesteps, decreasing. */
  public int[] values() {
    return t.clone();
  }

  /** The position k of timestep {@code tk} in the list; an error if it is not selected. */
  public int indexOf(int tk) {
    if (tk >= 0 && tk <= T && position[tk] >= 0) {
      return position[tk];
    }
    throw new IllegalArgumentException(
        "t must be one of the selected timesteps " + Arrays.toString(t) + ", got " + tk);
  }

  /**
   * The timestep s the sampler steps to from the k-th selected one: the next selected one (0
   * after the last) for {@link PreviousTimestep#NEXT_SELECTED}, max(t_k − ⌊T/N⌋, 0) for {@link
   * PreviousTimestep#FIXED_STRIDE}.
   */
  public int previous(int k, PreviousTimestep rule) {
    int tk = get(k);
    if (rule == null) {
      throw new IllegalArgumentException("rule must not be null");
    }
    return switch (rule) {
      case NEXT_SELECTED -> k + 1 < t.length ? t[k + 1] : 0;
      case FIXED_STRIDE -> Math.max(tk - T / t.length, 0);
    };
  }

  @Override
  public String toString() {
    return "Timesteps(T = " + T + ", " + Arrays.toString(t) + ")";
  }

  private static void checkCount(int T, int N) {
    Require.atLeast("T", T, 1);
    if (N < 1 || N > T) {
      throw new IllegalArgumentException("N must be in 1.." + T + " (T), got " + N);
    }
  }

  private static int count(String sections, String text) {
    String s = text.trim();
    if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "sections '" + sections + "' must hold non-negative integer counts, got '" + text + "'");
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "sections '" + sections + "' holds a count too large: '" + text + "'", e);
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
