package org.diffusiontck.checks.rules;

import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.junit.DiffusionTck;
import org.diffusiontck.checks.reference.ReferenceImplementation;

/**
 * The rules run against the reference: this is what validates the reference's equations by their
 * independent routes. The reference declares every capability, so no rule is skipped here.
 */
class ReferenceConformanceTest extends DiffusionTck {
  @Override
  protected DiffusionImplementation implementation() {
    return new ReferenceImplementation();
  }
}
