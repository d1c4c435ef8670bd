package org.diffusiontck.checks.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.diffusiontck.checks.rules.Rule;
import org.junit.jupiter.api.Test;

/**
 * An architecture test on the engine's compiled classes: none refers to ND4J, to the reference
 * module's math, to the reference adapter or to the CLI. A class file names every type it uses
 * (fields, signatures, calls, constants) in its constant pool as a string such as {@code
 * org/nd4j/linalg/api/ndarray/INDArray}, so a class that does not contain a package's name does
 * not depend on it; the scan is shown to see such references with one the engine does have.
 */
class EngineDependenciesTest {
  /** Packages the engine must not use, as they appear in class files. */
  private static final List<String> FORBIDDEN = List.of("org/nd4j/", "org/bytedeco/",
      "org/diffusiontck/reference/", "org/diffusiontck/checks/reference/",
      "org/diffusiontck/checks/cli/", "org/slf4j/");

  /** Each engine class file, by path below {@code target/classes}, with its bytes as text. */
  private static Map<String, String> classes() {
    try {
      Path root = Path.of(Rule.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Map<String, String> out = new TreeMap<>();
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
          out.put(root.relativize(f).toString(),
              new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void noEngineClassRefersToNd4jTheReferenceOrTheCli() {
    Map<String, String> classes = classes();
    assertThat(classes).as("engine classes").hasSizeGreaterThan(100)
        .containsKey("org/diffusiontck/checks/rules/catalogue/DdimRules.class");
    for (var c : classes.entrySet()) {
      for (String p : FORBIDDEN) {
        assertThat(c.getValue()).as(c.getKey() + " refers to " + p).doesNotContain(p);
      }
    }
  }

  @Test
  void theScanSeesTheLibrariesTheRulesDoUse() {
    Map<String, String> classes = classes();
    assertThat(classes.get("org/diffusiontck/checks/rules/PortableNormals.class"))
        .contains("org/apache/commons/rng/core/source64/Philox4x64");
    assertThat(classes.get("org/diffusiontck/checks/rules/catalogue/DdimRules.class"))
        .contains("org/diffusiontck/checks/impl/Prediction");
  }
}
