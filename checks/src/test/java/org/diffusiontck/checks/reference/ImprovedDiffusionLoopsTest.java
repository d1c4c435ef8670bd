package org.diffusiontck.checks.reference;

import java.util.List;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.FinalAlphaBar;
import org.diffusiontck.checks.impl.InversionEnd;
import org.diffusiontck.checks.junit.DiffusionTck;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.catalogue.Catalogue;

/**
 * The loop rules under improved-diffusion's inversion loop ({@code ddim_reverse_sample_loop}): the
 * model at the source, the data taken at ᾱ_1 (so an inversion may start from s = 0), and one step
 * past t_1 onto ᾱ = 0 that answers ε̂. The reference computes under these conventions, so every
 * LOOP rule must pass.
 */
class ImprovedDiffusionLoopsTest extends DiffusionTck {
  static final Conventions IMPROVED_DIFFUSION = Conventions.defaults()
      .withFinalAlphaBar(FinalAlphaBar.FIRST_SELECTED)
      .withInversionEnd(InversionEnd.ALPHA_BAR_ZERO);

  @Override
  protected DiffusionImplementation implementation() {
    return new ReferenceImplementation(IMPROVED_DIFFUSION);
  }

  @Override
  protected List<Rule> rules() {
    return Catalogue.all().stream().filter(r -> r.info().id().startsWith("LOOP-")).toList();
  }
}
