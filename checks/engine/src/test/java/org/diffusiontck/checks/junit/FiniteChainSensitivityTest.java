package org.diffusiontck.checks.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.LoopRequests;
import org.diffusiontck.checks.impl.Model;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.RuleRunner;
import org.diffusiontck.checks.rules.RunSettings;
import org.diffusiontck.checks.rules.Status;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import org.junit.jupiter.api.Test;

/**
 * LOOP-7 sees more than the model calls: a ddpm_sample loop whose calls are all right but whose
 * answer is off by 1e-5 in one coordinate (far below anything a moment test resolves, far above
 * the carried rounding bound of a double chain) fails it, and the same loop unchanged passes.
 */
class FiniteChainSensitivityTest {
  private static final Rule LOOP_7 = Catalogue.all().stream()
      .filter(r -> r.info().id().equals("LOOP-7")).findFirst().orElseThrow();

  /** The plain implementation with its DDPM loop's answer moved by 1e-5 at coordinate 0. */
  static final class Nudged extends PlainJavaDiffusion {
    Nudged() {
      super(Conventions.defaults());
    }

    @Override
    public Tensor ddpmSample(LoopRequests.DdpmSample r, Model model) {
      double[] x = super.ddpmSample(r, model).data().clone();
      x[0] += 1e-5;
      return r.x().withData(x);
    }
  }

  @Test
  void aCorrectLoopPassesAndAnAnswerOffBy1e5Fails() {
    RuleRunner runner = new RuleRunner(RunSettings.defaults());
    RuleResult right = runner.runOne(new PlainJavaDiffusion(Conventions.defaults()), LOOP_7);
    assertThat(right.status()).as(right.message()).isEqualTo(Status.PASS);
    RuleResult nudged = runner.runOne(new Nudged(), LOOP_7);
    assertThat(nudged.status()).isEqualTo(Status.FAIL);
    assertThat(nudged.message()).contains("the loop's answer [0] against the kit's chain");
  }
}
