package org.diffusiontck.checks.report;

import java.io.IOException;
import java.io.Writer;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.diffusiontck.checks.rules.RuleResult;
import org.diffusiontck.checks.rules.Status;

/**
 * JUnit XML (the Ant/Surefire schema every CI test reporter reads): one test suite for the run, one
 * test case per rule named by its ID; FAIL is a {@code <failure>}, ERROR an {@code <error>}, SKIP
 * {@code <skipped>} with the reason.
 */
public final class JunitXmlReport {
  private JunitXmlReport() {}

  public static void write(Run run, Writer w) throws IOException {
    w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    w.write(String.format(Locale.ROOT,
        "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" "
            + "time=\"%.3f\" timestamp=\"%s\">\n",
        xml("diffusion-tck " + run.implementation()), run.results().size(),
        run.count(Status.FAIL), run.count(Status.ERROR), run.count(Status.SKIP),
        run.millis() / 1000.0,
        DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(run.started().atOffset(ZoneOffset.UTC))));
    w.write("  <properties>\n");
    w.write(property("implementation", run.implementation()));
    w.write(property("dtype", run.dtype()));
    w.write(property("seed", Long.toString(run.settings().seed())));
    for (var e : run.settings().overrides().entrySet()) {
      w.write(property("tolerance-override." + e.getKey(),
          e.getValue().value() + " (" + e.getValue().reason() + ")"));
    }
    w.write("  </properties>\n");
    for (RuleResult r : run.results()) {
      w.write(String.format(Locale.ROOT,
          "  <testcase classname=\"diffusion-tck.%s\" name=\"%s\" time=\"%.3f\">\n",
          xml(r.info().id().replaceAll("-.*", "")), xml(r.info().id() + " " + r.info().statement()),
          r.millis() / 1000.0));
      switch (r.status()) {
        case FAIL -> w.write("    <failure message=\"" + xml(r.message()) + "\">" + xml(detail(r))
            + "</failure>\n");
        case ERROR -> w.write("    <error message=\"" + xml(r.message()) + "\">" + xml(detail(r))
            + "</error>\n");
        case SKIP -> w.write("    <skipped message=\"" + xml(r.message()) + "\"/>\n");
        case PASS -> w.write("    <system-out>" + xml(detail(r)) + "</system-out>\n");
      }
      w.write("  </testcase>\n");
    }
    w.write("</testsuite>\n");
  }

  private static String detail(RuleResult r) {
    StringBuilder b = new StringBuilder();
    b.append("worst absolute error: ").append(Format.error(r, r.worstAbs()))
        .append("\nworst relative error: ").append(Format.error(r, r.worstRel()))
        .append("\nlargest fraction of the tolerance used: ").append(Format.error(r, r.worstRatio()))
        .append("\nwhere: ").append(r.where())
        .append("\ntolerance: ").append(Format.tolerance(r));
    if (r.tolerance() != null) {
      b.append(" (").append(r.tolerance().why()).append(')');
    }
    if (r.counterexample() != null) {
      b.append("\ncounterexample: ").append(r.counterexample());
    }
    b.append("\nroute: ").append(r.info().route()).append("\nguards: ").append(r.info().guards());
    return b.toString();
  }

  private static String property(String name, String value) {
    return "    <property name=\"" + xml(name) + "\" value=\"" + xml(value) + "\"/>\n";
  }

  /** Escapes text for XML, dropping characters XML 1.0 cannot hold. */
  static String xml(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> {
          if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
