package org.diffusiontck.checks.report;

import java.util.List;
import java.util.Locale;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.RuleInfo;
import org.diffusiontck.checks.rules.Tolerance;

/**
 * {@code spec/RULES.md}: the rule catalogue written from the rules' own metadata. Regenerate with
 * {@code ./tck rules --catalogue > spec/RULES.md}; a test fails when the file is stale.
 */
public final class RuleCatalogueDocument {
  private RuleCatalogueDocument() {}

  public static String markdown(List<Rule> rules) {
    StringBuilder b = new StringBuilder();
    b.append("# Rule catalogue\n\n")
        .append("Generated from the rules' metadata by `./tck rules --catalogue > spec/RULES.md`;")
        .append(" do not edit by hand (a test fails when this file is stale).\n\n")
        .append("Each rule has a stable ID (never renumbered once published), a statement, the")
        .append(" equation or derivation it guards, the independent route that gives its")
        .append(" expected value, a level, and a tolerance per dtype with its argument. Levels:")
        .append(" **required** (every implementation of the operations involved), **optional**")
        .append(" (an optional capability; skipped when not declared), **statistical** (Monte")
        .append(" Carlo on a fixed seed, false-alarm probability at most 1e-6).\n\n")
        .append("| ID | Level | Operations | Statement |\n|---|---|---|---|\n");
    for (Rule r : rules) {
      RuleInfo i = r.info();
      b.append("| [").append(i.id()).append("](#").append(i.id().toLowerCase(Locale.ROOT))
          .append(") | ").append(level(i)).append(" | ")
          .append(String.join(", ", r.operations().stream().map(o -> "`" + o.label() + "`")
              .toList()))
          .append(" | ").append(cell(i.statement())).append(" |\n");
    }
    for (Rule r : rules) {
      RuleInfo i = r.info();
      b.append("\n## ").append(i.id()).append("\n\n")
          .append(i.statement()).append("\n\n")
          .append("- **Level:** ").append(level(i)).append('\n')
          .append("- **Guards:** ").append(i.guards()).append('\n')
          .append("- **Independent route:** ").append(i.route()).append('\n')
          .append("- **Tolerance, float64:** ").append(tolerance(i.tolerances().float64()))
          .append('\n')
          .append("- **Tolerance, float32:** ").append(tolerance(i.tolerances().float32()))
          .append('\n');
    }
    return b.toString();
  }

  private static String level(RuleInfo i) {
    return i.level().name().toLowerCase(Locale.ROOT);
  }

  private static String tolerance(Tolerance t) {
    return "`" + t + "`: " + t.why();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|");
  }
}
