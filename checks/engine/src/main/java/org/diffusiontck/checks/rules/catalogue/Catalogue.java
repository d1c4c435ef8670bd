package org.diffusiontck.checks.rules.catalogue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.diffusiontck.checks.rules.Rule;

/** Every rule of the kit, in catalogue order; {@code spec/RULES.md} is generated from it. */
public final class Catalogue {
  private Catalogue() {}

  public static List<Rule> all() {
    List<Rule> rules = new ArrayList<>();
    rules.addAll(ScheduleRules.all());
    rules.addAll(ForwardRules.all());
    rules.addAll(PosteriorRules.all());
    rules.addAll(ConversionRules.all());
    rules.addAll(NoiseRules.all());
    rules.addAll(VarianceRules.all());
    rules.addAll(KlRules.all());
    rules.addAll(ElboRules.all());
    rules.addAll(DdpmRules.all());
    rules.addAll(DdimRules.all());
    rules.addAll(TimestepRules.all());
    rules.addAll(LoopRules.all());
    return Collections.unmodifiableList(rules);
  }
}
