package org.diffusiontck.checks.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * What an implementer inherits with the engine: its test classpath (its own dependencies plus
 * JUnit, jqwik and AssertJ) holds no ND4J, no reference and no logging binding, so neither can
 * the classpath of a team that depends on {@code org.diffusiontck:engine}.
 */
class EngineClasspathTest {
  private static List<String> classpath() {
    return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
  }

  private static void notLoadable(String... names) {
    for (String name : names) {
      assertThatThrownBy(() -> Class.forName(name)).as(name)
          .isInstanceOf(ClassNotFoundException.class);
    }
  }

  @Test
  void noNd4jAndNoReferenceCanBeLoaded() {
    notLoadable("org.nd4j.linalg.factory.Nd4j", "org.nd4j.linalg.api.ndarray.INDArray",
        "org.diffusiontck.reference.noise.PortableNoise",
        "org.diffusiontck.checks.reference.ReferenceImplementation");
  }

  @Test
  void noLoggingBindingCanBeLoaded() {
    // slf4j 1.x finds its binding by the first class name, 2.x through the service
    notLoadable("org.slf4j.impl.StaticLoggerBinder", "org.slf4j.spi.SLF4JServiceProvider",
        "ch.qos.logback.classic.Logger", "org.apache.logging.slf4j.Log4jLogger");
    assertThat(ServiceLoader.load(System.LoggerFinder.class).stream()
        .map(p -> p.type().getName())).as("System.Logger bindings").isEmpty();
  }

  @Test
  void noJarOfNd4jJavacppOpenblasOrALoggingBackendIsOnTheClasspath() {
    assertThat(classpath()).as("the test classpath").isNotEmpty()
        .anyMatch(e -> e.contains("jackson-databind"))
        .noneMatch(e -> e.matches(".*(nd4j|javacpp|openblas|slf4j-simple|logback|log4j-slf4j"
            + "|/reference/target/).*"));
  }
}
