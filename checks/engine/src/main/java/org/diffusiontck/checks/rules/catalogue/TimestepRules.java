package org.diffusiontck.checks.rules.catalogue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.PreviousTimestep;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.StepPlan;
import org.diffusiontck.checks.rules.CaseRule;
import org.diffusiontck.checks.rules.Gen;
import org.diffusiontck.checks.rules.ImplementationError;
import org.diffusiontck.checks.rules.Level;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.StepCase;
import org.diffusiontck.checks.rules.TimestepDefinitions;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.rules.Tolerances;

/** STEPS: the N timesteps a sampler visits out of T, and where each step lands. */
final class TimestepRules {
  private TimestepRules() {}

  private static final List<Operation> OPS = List.of(Operation.TIMESTEPS);

  private static final Tolerances EXACT =
      Tolerances.both(Tolerance.exact("timesteps are integers"));

  /** Whole lists are compared up to this T (beyond it, the first and last elements). */
  private static final int WHOLE_LIST_T = 100;

  static List<Rule> all() {
    return List.of(valid(), endpoints(), previous());
  }

  /**
   * A request: T, N, a spacing, LEADING's offset and SECTIONS' string (null otherwise, or null
   * for SECTIONS' count form "N").
   */
  record Selection(int T, int N, Spacing spacing, Integer offset, String sections) {
    /**
     * A declared spacing; T biased to 1, 2, 3, 1000, N to 1, 2, T − 1, T; LEADING's offset 0, 1,
     * the largest valid or any; SECTIONS as a count, a "ddimN" string or a list of per-section
     * counts.
     */
    static Selection draw(SplittableRandom r, Declaration d) {
      Spacing spacing = StepCase.pick(r, d.spacings().toArray(new Spacing[0]));
      int T = Gen.steps(r);
      int N = r.nextInt(3) == 0
          ? Math.max(1, Math.min(T, new int[] {1, 2, T - 1, T}[r.nextInt(4)])) : 1 + r.nextInt(T);
      return switch (spacing) {
        case LINSPACE -> new Selection(T, N, spacing, null, null);
        case TRAILING -> new Selection(T, N, spacing, null, null);
        case LEADING -> {
          int most = T - 1 - (N - 1) * (T / N);
          int offset = new int[] {0, Math.min(1, most), most, r.nextInt(most + 1)}[r.nextInt(4)];
          yield new Selection(T, N, spacing, offset, null);
        }
        case SECTIONS -> sections(r, T, N);
      };
    }

    private static Selection sections(SplittableRandom r, int T, int N) {
      int form = T == 1 ? 0 : r.nextInt(3);
      if (form == 0) {
        return new Selection(T, N, Spacing.SECTIONS, null, null);
      }
      if (form == 1) {
        int stride = 1 + r.nextInt(T - 1);
        int count = (T + stride - 1) / stride;
        return new Selection(T, count, Spacing.SECTIONS, null, "ddim" + count);
      }
      int m = 1 + r.nextInt(Math.min(5, T));
      int[] counts = new int[m];
      int total = 0;
      for (int j = 0; j < m; j++) {
        int size = T / m + (j < T % m ? 1 : 0);
        counts[j] = r.nextInt(Math.min(size, 12) + 1);
        total += counts[j];
      }
      if (total == 0) {
        counts[r.nextInt(m)] = 1;
        total = 1;
      }
      String text = String.join(",", Arrays.stream(counts).mapToObj(Integer::toString).toList());
      return new Selection(T, total, Spacing.SECTIONS, null, text);
    }

    /**
     * This selection and the edges of its spacing at the same T: N = 1 and N = T (LEADING with
     * offset 0, SECTIONS as a count), and for TRAILING T = 1000 with N = 61.
     */
    List<Selection> withEdges() {
      Integer noOffset = spacing == Spacing.LEADING ? 0 : null;
      List<Selection> out = new ArrayList<>(List.of(this, new Selection(T, 1, spacing, noOffset,
          null), new Selection(T, T, spacing, noOffset, null)));
      if (spacing == Spacing.TRAILING) {
        out.add(new Selection(1000, 61, spacing, null, null));
      }
      return out;
    }

    StepPlan ask(DiffusionImplementation impl) {
      StepPlan plan = new Requests.Timesteps(T, N, spacing, offset, sections).applyTo(impl);
      if (plan == null || plan.timesteps() == null || plan.previous() == null) {
        throw new ImplementationError("timesteps: no timesteps or previous in the answer");
      }
      return plan;
    }

    /** The whole selection by its source's arithmetic ({@link TimestepDefinitions}). */
    int[] expected() {
      return switch (spacing) {
        case LINSPACE -> TimestepDefinitions.linspace(T, N);
        case LEADING -> TimestepDefinitions.leading(T, N, offset);
        case TRAILING -> TimestepDefinitions.trailing(T, N);
        case SECTIONS -> TimestepDefinitions.sections(T,
            sections == null ? Integer.toString(N) : sections);
      };
    }

    @Override
    public String toString() {
      return "{T: " + T + ", N: " + N + ", spacing: " + spacing
          + (offset == null ? "" : ", offset: " + offset)
          + (sections == null ? "" : ", sections: \"" + sections + "\"") + "}";
    }
  }

  static Rule valid() {
    return CaseRule.of(new RuleInfo("STEPS-1",
            "For each declared spacing and any 1 <= N <= T (including N = 1, N = T, and T = "
                + "1000 with N = 61 for trailing), the selection holds N timesteps, strictly "
                + "decreasing, all within 1..T.",
            "spec/CONVENTIONS.md §10",
            "exact order and range relations on the implementation's list",
            Level.REQUIRED, EXACT),
        40, OPS, Selection::draw, c -> List.of(), (impl, sel, m) -> {
          for (Selection c : sel.withEdges()) {
            int[] t = c.ask(impl).timesteps();
            m.require(t.length == c.N(), "N timesteps for " + c,
                () -> "expected " + c.N() + ", got " + t.length + ": " + Arrays.toString(t));
            m.require(Arrays.stream(t).allMatch(k -> k >= 1 && k <= c.T()), "within 1..T for " + c,
                () -> Arrays.toString(t));
            m.require(DdimRules.strictlyDecreasing(t), "strictly decreasing for " + c,
                () -> Arrays.toString(t));
          }
        }).when(d -> !d.spacings().isEmpty(), "no spacing declared");
  }

  static Rule endpoints() {
    return CaseRule.of(new RuleInfo("STEPS-2",
            "Each spacing's first and last timesteps are those of its definition: linspace T and "
                + "1; leading (N - 1) floor(T/N) + offset + 1 and offset + 1; trailing T and "
                + "round(T/N); sections 'ddimN' (N - 1) d + 1 and 1 (d the smallest integer stride "
                + "with ceil(T/d) = N), a list of counts from its first and last non-empty "
                + "sections; for T <= 100 the whole list is that of the definition.",
            "diffusers set_timesteps (linspace, leading + steps_offset, trailing); "
                + "improved-diffusion space_timesteps; spec/CONVENTIONS.md §10",
            "first and last in exact integer arithmetic; whole lists by replaying the sources' "
                + "numpy and Python arithmetic (round half to even)",
            Level.REQUIRED, EXACT),
        40, OPS, Selection::draw, c -> List.of(), (impl, sel, m) -> {
          for (Selection c : sel.withEdges()) {
            int[] t = c.ask(impl).timesteps();
            int[] ends = TimestepDefinitions.firstAndLast(c.spacing(), c.T(), c.N(),
                c.offset() == null ? 0 : c.offset(), c.sections());
            m.require(t.length > 0 && t[0] == ends[0], "first timestep " + ends[0] + " for " + c,
                () -> Arrays.toString(t));
            m.require(t.length > 0 && t[t.length - 1] == ends[1],
                "last timestep " + ends[1] + " for " + c, () -> Arrays.toString(t));
            if (c.T() <= WHOLE_LIST_T) {
              int[] expected = c.expected();
              m.require(Arrays.equals(expected, t),
                  "the selection " + Arrays.toString(expected) + " for " + c,
                  () -> Arrays.toString(t));
            }
          }
        }).when(d -> !d.spacings().isEmpty(), "no spacing declared");
  }

  static Rule previous() {
    return CaseRule.of(new RuleInfo("STEPS-3",
            "The step from the k-th selected timestep lands on the next selected one (0 after "
                + "the last) under NEXT_SELECTED, on max(t_k - floor(T/N), 0) under FIXED_STRIDE.",
            "Song et al. 2021, §4.2 (the sub-sequence tau); spec/CONVENTIONS.md §9",
            "exact: the declared relation applied to the implementation's own list",
            Level.REQUIRED, EXACT),
        40, OPS, Selection::draw, c -> List.of(), (impl, c, m) -> {
          StepPlan plan = c.ask(impl);
          int[] t = plan.timesteps();
          int[] expected = TimestepDefinitions.previous(c.T(), t,
              impl.declaration().conventions().fixedStride());
          m.require(Arrays.equals(expected, plan.previous()),
              "previous timesteps " + Arrays.toString(expected) + " for " + Arrays.toString(t),
              () -> Arrays.toString(plan.previous()));
        }).when(d -> !d.spacings().isEmpty(), "no spacing declared");
  }
}
