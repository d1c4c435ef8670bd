package org.diffusiontck.checks.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.PreviousTimestep;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.junit.DiffusionTck;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import org.junit.jupiter.api.Test;

/**
 * DDIM-6 and DDIM-7 run the chain an implementation declaring a fixed stride really runs
 * (spec/CONVENTIONS.md §9): each step moves the state to t − ⌊T/N⌋ and the model is next asked
 * at the next selected timestep. Over "leading" that chain is the selected one and converges; over
 * numpy's linspace it is diffusers' DDIMScheduler with {@code timestep_spacing="linspace"}, whose
 * state and model disagree at every step, and DDIM-6 must fail it.
 */
class FixedStrideChainTest {
  private static final RuleRunner RUNNER = new RuleRunner(RunSettings.defaults());

  /** The reference following and declaring {@code previous}, selecting by {@code spacing} only. */
  private static class Declared extends ReferenceImplementation {
    final List<int[]> steps = new ArrayList<>();
    private final Spacing spacing;

    Declared(PreviousTimestep previous, Spacing spacing) {
      super(Conventions.defaults().withPreviousTimestep(previous));
      this.spacing = spacing;
    }

    @Override
    public Declaration declaration() {
      Declaration d = super.declaration();
      return new Declaration(d.name(), d.dtype(), d.operations(), d.schedules(),
          d.zeroTerminalSnr(), d.predictions(), d.varianceChoices(), Set.of(spacing),
          d.clippings(), d.conventions());
    }

    @Override
    public Tensor ddimStep(Requests.DdimStep r) {
      steps.add(new int[] {r.t(), r.s()});
      return super.ddimStep(r);
    }
  }

  private static RuleResult run(String id, Declared impl) {
    Rule rule = Catalogue.all().stream().filter(r -> r.info().id().equals(id)).findFirst()
        .orElseThrow();
    return RUNNER.runOne(impl, rule);
  }

  /**
   * The first chain of DDIM-6 (T = 1000, N = 10) over linspace: np.linspace(0, 999, 10).round()
   * is 0, 111, …, 999, i.e. t = 1000, 889, …, 112, 1; each step lands 1000 // 10 = 100 below.
   */
  @Test
  void ddim6StepsByTheStrideAndAsksAtTheSelectedTimesteps() {
    Declared impl = new Declared(PreviousTimestep.FIXED_STRIDE, Spacing.LINSPACE);
    run("DDIM-6", impl);
    int[] selected = {1000, 889, 778, 667, 556, 445, 334, 223, 112, 1};
    for (int k = 0; k < selected.length; k++) {
      assertThat(impl.steps.get(k)).containsExactly(selected[k], Math.max(selected[k] - 100, 0));
    }
  }

  @Test
  void ddim6FailsTheStrideOverLinspace() {
    RuleResult r = run("DDIM-6", new Declared(PreviousTimestep.FIXED_STRIDE, Spacing.LINSPACE));
    assertThat(r.status()).as(DiffusionTck.describe(r)).isEqualTo(Status.FAIL);
  }

  @Test
  void ddim6PassesTheStrideOverLeadingAndTheSelectionOverLinspace() {
    for (Declared impl : List.of(new Declared(PreviousTimestep.FIXED_STRIDE, Spacing.LEADING),
        new Declared(PreviousTimestep.NEXT_SELECTED, Spacing.LINSPACE))) {
      RuleResult r = run("DDIM-6", impl);
      assertThat(r.status()).as(DiffusionTck.describe(r)).isEqualTo(Status.PASS);
    }
  }

  /**
   * DDIM-7 under the stride over linspace: generation asks t = τ_k → τ_k − 100 (N = 10), and
   * the round trip of that chain (each inversion the reverse of a generation step) returns.
   */
  @Test
  void ddim7RoundTripsTheChainTheStrideRuns() {
    Declared impl = new Declared(PreviousTimestep.FIXED_STRIDE, Spacing.LINSPACE);
    RuleResult r = run("DDIM-7", impl);
    assertThat(r.status()).as(DiffusionTck.describe(r)).isEqualTo(Status.PASS);
    int[] selected = {1000, 889, 778, 667, 556, 445, 334, 223, 112};
    for (int k = 0; k < selected.length; k++) {
      assertThat(impl.steps.get(k)).containsExactly(selected[k], selected[k] - 100);
    }
  }
}
