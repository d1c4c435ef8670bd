package org.diffusiontck.golden.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.stream.XMLStreamException;
import org.diffusiontck.checks.io.WholeFile;

/** Writes the three reports of a golden verification or comparison into a directory. */
public final class GoldenReports {
  public static final String HTML = "golden-report.html";
  public static final String JSON = "golden-report.json";
  public static final String JUNIT_XML = "golden-junit.xml";

  private GoldenReports() {}

  public static void writeAll(Verdict v, Path dir) throws IOException {
    if (dir.toString().isBlank()) {
      throw new IllegalArgumentException("the report folder is empty (''): name a folder");
    }
    Files.createDirectories(dir);
    write(dir.resolve(HTML), w -> HtmlReport.write(v, w));
    write(dir.resolve(JSON), w -> JsonReport.write(v, w));
    write(dir.resolve(JUNIT_XML), w -> JunitReport.write(v, w));
  }

  /** One report's writer. */
  @FunctionalInterface
  private interface Report {
    void write(Writer w) throws IOException, XMLStreamException;
  }

  private static void write(Path file, Report report) throws IOException {
    WholeFile.writeText(file, w -> {
      try {
        report.write(w);
      } catch (XMLStreamException e) {
        throw new IOException("writing " + file + " failed: " + e.getMessage(), e);
      }
    });
  }
}
