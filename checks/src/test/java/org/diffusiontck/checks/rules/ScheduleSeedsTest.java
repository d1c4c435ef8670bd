package org.diffusiontck.checks.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SCHED-5 draws only valid schedules whatever the seed: the reference passes it for the base
 * seeds 1..6, of which 3 and 4 drew a one-step explicit schedule that the generator once lengthened
 * by padding it with β = 0, which a correct implementation rightly refuses. (Every rule for the
 * seeds 1..20 is run by {@code .ci/run}, outside the time budget of the build.)
 */
class ScheduleSeedsTest {
  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void theReferencePassesSched5(long seed) {
    RuleRunner runner = new RuleRunner(new RunSettings(seed, 1.0, Map.of()));
    for (RuleResult r : runner.run(new ReferenceImplementation(),
        RuleSelection.matching(Catalogue.all(), "SCHED-5"), new RuleRunner.Listener() {})) {
      assertThat(r.status()).as(r.info().id() + ": " + r.message()).isEqualTo(Status.PASS);
    }
  }
}
