package org.diffusiontck.checks.report;

import java.util.Locale;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.Status;

/** Number and text formatting shared by the reports. */
final class Format {
  private Format() {}

  /** An error for a table: 3 significant digits, "0" for exact agreement, "-" if not measured. */
  static String error(RuleResult r, double e) {
    if (r.status() == Status.SKIP || r.status() == Status.ERROR) {
      return "-";
    }
    return e == 0 ? "0" : String.format(Locale.ROOT, "%.3g", e);
  }

  static String tolerance(RuleResult r) {
    return r.tolerance() == null ? "-" : r.tolerance().toString();
  }

  /** Cuts {@code s} to {@code n} characters with an ellipsis. */
  static String cut(String s, int n) {
    if (s == null) {
      return "";
    }
    return s.length() <= n ? s : s.substring(0, Math.max(0, n - 1)) + "…";
  }
}
