package org.diffusiontck.checks.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the three CI reports of a run into a directory. */
public final class Reports {
  public static final String JUNIT_XML = "diffusion-tck-junit.xml";
  public static final String JSON = "diffusion-tck.json";
  public static final String MARKDOWN = "diffusion-tck-summary.md";

  private Reports() {}

  public static void writeAll(Run run, Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Writer w = Files.newBufferedWriter(dir.resolve(JUNIT_XML), StandardCharsets.UTF_8)) {
      JunitXmlReport.write(run, w);
    }
    try (Writer w = Files.newBufferedWriter(dir.resolve(JSON), StandardCharsets.UTF_8)) {
      JsonReport.write(run, w);
    }
    try (Writer w = Files.newBufferedWriter(dir.resolve(MARKDOWN), StandardCharsets.UTF_8)) {
      MarkdownReport.write(run, w);
    }
  }
}
