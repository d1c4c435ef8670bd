package org.diffusiontck.checks.rules;

import java.util.List;
import java.util.Set;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.LinearEndpoints;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleTables;
import org.diffusiontck.checks.junit.DiffusionTck;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.rules.catalogue.Catalogue;

/**
 * Generators produce only valid inputs: the reference declaring improved-diffusion's linear
 * endpoints scaled by 1000/T as its only schedule (spec/CONVENTIONS.md §7) refuses, as that
 * codebase's schedule can only fail to, any schedule with some β_t &gt; 1, or β_t = 1 without
 * zero-terminal-SNR rescaling (T ≤ 20); every rule that applies to that declaration must pass,
 * none may ask for such a schedule.
 */
class ScaledEndpointsConformanceTest extends DiffusionTck {
  /** The rules this declaration allows (not those needing the cosine kind, nor ELBO-4). */
  @Override
  protected List<Rule> rules() {
    Declaration d = implementation().declaration();
    return Catalogue.all().stream().filter(r -> r.missing(d).isEmpty()).toList();
  }

  @Override
  protected DiffusionImplementation implementation() {
    return new ReferenceImplementation(Conventions.defaults()
        .withLinearEndpoints(LinearEndpoints.SCALED_BY_1000_OVER_T)) {
      @Override
      public Declaration declaration() {
        Declaration d = super.declaration();
        return new Declaration("scaled linear endpoints", d.dtype(), d.operations(),
            Set.of(ScheduleKind.LINEAR), d.zeroTerminalSnr(), d.predictions(),
            d.varianceChoices(), d.spacings(), d.clippings(), d.conventions());
      }

      @Override
      public ScheduleTables schedule(Requests.Schedule r) {
        ScheduleTables tab = super.schedule(r);
        for (int t = 1; t <= tab.T(); t++) {
          double beta = tab.beta()[t];
          if (beta > 1 || beta == 1 && !r.schedule().zeroTerminalSnr()) {
            throw new IllegalArgumentException("beta_" + t + " = " + beta
                + " >= 1 for " + r.schedule());
          }
        }
        return tab;
      }
    };
  }
}
