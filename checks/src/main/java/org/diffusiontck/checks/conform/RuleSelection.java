package org.diffusiontck.checks.conform;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.diffusiontck.checks.rules.Rule;

/** Rules picked by ID globs: {@code *} any characters, {@code ?} one; e.g. {@code DDIM-*}. */
public final class RuleSelection {
  private RuleSelection() {}

  /**
   * The rules whose ID matches one of the globs (all rules if there are none), in catalogue order.
   *
   * @throws IllegalArgumentException if a glob matches no rule
   */
  public static List<Rule> select(List<Rule> rules, List<String> globs) {
    if (globs.isEmpty()) {
      return rules;
    }
    List<Rule> out = new ArrayList<>();
    for (String glob : globs) {
      Pattern p = pattern(glob);
      if (rules.stream().noneMatch(r -> p.matcher(r.info().id()).matches())) {
        throw new IllegalArgumentException("--rules " + glob + " matches no rule; the rules are "
            + String.join(", ", rules.stream().map(r -> r.info().id()).toList()));
      }
    }
    for (Rule r : rules) {
      if (globs.stream().anyMatch(g -> pattern(g).matcher(r.info().id()).matches())) {
        out.add(r);
      }
    }
    return out;
  }

  static Pattern pattern(String glob) {
    StringBuilder b = new StringBuilder();
    for (char c : glob.trim().toCharArray()) {
      b.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(b.toString(), Pattern.CASE_INSENSITIVE);
  }
}
