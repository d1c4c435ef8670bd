package org.diffusiontck.checks.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffusiontck.checks.conform.KitPaths;
import org.diffusiontck.checks.rules.Rule;
import org.diffusiontck.checks.rules.catalogue.Catalogue;
import org.diffusiontck.checks.vectors.Coverage;
import org.diffusiontck.checks.vectors.VectorCase;
import org.diffusiontck.checks.vectors.VectorFiles;
import org.diffusiontck.checks.vectors.VectorGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tck vectors}: record the language-neutral test vectors, or check the committed ones. */
@Command(
    name = "vectors",
    sortOptions = false,
    description = {
      "Record the test vectors (spec/VECTORS.md): the reference's answers to the cases of every"
          + " non-statistical rule, one JSON file per rule family and a manifest with each file's"
          + " SHA-256.",
      "--out DIR writes them; --check regenerates them and fails (exit code 1) if the files in"
          + " --out DIR (default: the kit's spec/vectors) differ in meaning.",
      ""
    })
final class VectorsCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", description = "The vectors' directory.")
  private Path out;

  @Option(names = "--check", description = "Compare instead of writing.")
  private boolean check;

  @Override
  public Integer call() throws IOException {
    if (out == null && !check) {
      throw new ParameterException(spec.commandLine(), "give --out DIR to write the vectors, or"
          + " --check to compare the committed ones with the reference");
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    List<Rule> rules = Catalogue.all();
    List<VectorCase> cases = VectorGenerator.generate(rules, line -> {
      stderr.println(line);
      stderr.flush();
    });
    Map<String, String> files = VectorFiles.render(cases);
    Path dir = out != null ? out : KitPaths.vectors();
    int total = 0;
    for (Map.Entry<String, String> e : files.entrySet()) {
      int bytes = e.getValue().getBytes(StandardCharsets.UTF_8).length;
      total += bytes;
      stdout.printf("%-16s %9d bytes%n", e.getKey(), bytes);
    }
    stdout.printf("%-16s %9d bytes, %d cases%n", "total", total, cases.size());
    stdout.println("coverage:");
    Coverage.of(cases, rules).forEach(i -> stdout.println("  " + i));
    if (!check) {
      VectorFiles.write(dir, files);
      stdout.println("written to " + dir);
      stdout.flush();
      return ExitCode.OK;
    }
    List<String> differences = VectorFiles.differences(dir, files);
    if (differences.isEmpty()) {
      List<String> differ = VectorFiles.notByteIdentical(dir, files);
      stdout.println(KitPaths.shown(dir) + " agrees with the reference, " + (differ.isEmpty()
          ? "byte for byte"
          : "in meaning: the bytes of " + String.join(", ", differ) + " differ in the last bits"
              + " (Java's Math and ND4J's native math may round differently on another machine or"
              + " JDK; spec/VECTORS.md, section 5)"));
      stdout.flush();
      return ExitCode.OK;
    }
    stdout.println(dir + " differs from what the reference records now:");
    differences.forEach(d -> stdout.println("  " + d));
    stdout.println("regenerate with ./tck vectors --out " + KitPaths.shown(dir)
        + " and commit the result");
    stdout.flush();
    return ExitCode.CHECK_FAILED;
  }
}
