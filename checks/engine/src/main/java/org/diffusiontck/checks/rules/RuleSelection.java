package org.diffusiontck.checks.rules;

import java.util.List;
import java.util.regex.Pattern;

/** Rules chosen by ID with a glob: {@code *} any characters, {@code ?} one; commas separate globs. */
public final class RuleSelection {
  private RuleSelection() {}

  /**
   * The rules whose ID matches one of the comma-separated globs, e.g. {@code "DDIM-*,POST-1"}.
   *
   * @throws IllegalArgumentException if no rule matches, naming the globs
   */
  public static List<Rule> matching(List<Rule> rules, String globs) {
    if (globs == null || globs.isBlank()) {
      return rules;
    }
    Pattern p = Pattern.compile(String.join("|", java.util.Arrays.stream(globs.split(","))
        .map(String::trim).map(RuleSelection::regex).toList()), Pattern.CASE_INSENSITIVE);
    List<Rule> chosen = rules.stream().filter(r -> p.matcher(r.info().id()).matches()).toList();
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("--rules " + globs + " matches no rule ID");
    }
    return chosen;
  }

  private static String regex(String glob) {
    StringBuilder b = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> b.append(".*");
        case '?' -> b.append('.');
        default -> b.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return b.toString();
  }
}
