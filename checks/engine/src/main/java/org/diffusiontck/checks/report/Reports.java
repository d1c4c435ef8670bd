package org.diffusiontck.checks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusiontck.checks.io.WholeFile;

/** Writes the three CI reports of a run into a directory. */
public final class Reports {
  public static final String JUNIT_XML = "diffusion-tck-junit.xml";
  public static final String JSON = "diffusion-tck.json";
  public static final String MARKDOWN = "diffusion-tck-summary.md";

  private Reports() {}

  public static void writeAll(Run run, Path dir) throws IOException {
    if (dir.toString().isBlank()) {
      throw new IllegalArgumentException("the report folder is empty (''): name a folder");
    }
    Files.createDirectories(dir);
    WholeFile.writeText(dir.resolve(JUNIT_XML), w -> JunitXmlReport.write(run, w));
    WholeFile.writeText(dir.resolve(JSON), w -> JsonReport.write(run, w));
    WholeFile.writeText(dir.resolve(MARKDOWN), w -> MarkdownReport.write(run, w));
  }
}
