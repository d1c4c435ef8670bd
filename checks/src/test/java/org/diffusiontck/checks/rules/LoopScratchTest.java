package org.diffusiontck.checks.rules;

import java.util.List;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.junit.DiffusionTck;
import org.diffusiontck.checks.reference.ReferenceImplementation;
import org.diffusiontck.checks.rules.catalogue.Catalogue;

class LoopScratchTest extends DiffusionTck {
  @Override
  protected DiffusionImplementation implementation() {
    return new ReferenceImplementation();
  }

  @Override
  protected List<Rule> rules() {
    return Catalogue.all().stream().filter(r -> r.info().id().startsWith("LOOP")
        || r.info().id().equals("DDIM-6") || r.info().id().equals("DDIM-7")).toList();
  }
}
