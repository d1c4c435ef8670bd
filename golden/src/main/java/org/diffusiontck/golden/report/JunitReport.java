package org.diffusiontck.golden.report;

import java.io.Writer;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.diffusiontck.golden.check.Check;

/**
 * JUnit XML (the Ant/Surefire schema CI test reporters read), as the conformance reports write it:
 * one test suite for the verification, one test case per check, a failing check as a {@code
 * <failure>} with what was observed and allowed.
 */
public final class JunitReport {
  private JunitReport() {}

  public static void write(Verdict v, Writer w) throws XMLStreamException {
    XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
    x.writeStartDocument("UTF-8", "1.0");
    x.writeCharacters("\n");
    x.writeStartElement("testsuite");
    x.writeAttribute("name", "diffusion-tck golden " + v.command() + " " + v.record());
    x.writeAttribute("tests", Integer.toString(v.checks().size()));
    x.writeAttribute("failures", Long.toString(v.failures()));
    x.writeAttribute("errors", "0");
    x.writeAttribute("skipped", "0");
    x.writeAttribute("time", String.format(Locale.ROOT, "%.3f", v.millis() / 1000.0));
    x.writeCharacters("\n");
    for (Check c : v.checks()) {
      x.writeCharacters("  ");
      x.writeStartElement("testcase");
      x.writeAttribute("classname", "diffusion-tck.golden." + c.group());
      x.writeAttribute("name", c.id() + " " + c.statement());
      String detail = "observed: " + c.observed() + "\nallowed: " + c.allowed()
          + (c.where().isEmpty() ? "" : "\nwhere: " + c.where());
      if (c.passed()) {
        x.writeStartElement("system-out");
      } else {
        x.writeStartElement("failure");
        x.writeAttribute("message", c.observed() + " (allowed: " + c.allowed() + ")");
      }
      x.writeCharacters(detail);
      x.writeEndElement();
      x.writeEndElement();
      x.writeCharacters("\n");
    }
    x.writeEndElement();
    x.writeCharacters("\n");
    x.writeEndDocument();
    x.flush();
  }
}
