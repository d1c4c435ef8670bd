package org.diffusiontck.checks.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * Subcommands that another module adds to {@code tck}. {@link Tck} finds every implementation on
 * the classpath with {@link java.util.ServiceLoader}: a module lists its class in {@code
 * META-INF/services/org.diffusiontck.checks.cli.TckExtension}. The golden module adds {@code tck
 * golden} this way, so that checks does not depend on it.
 */
public interface TckExtension {
  /** New picocli command objects (classes annotated with {@code @Command}) to add to tck. */
  List<Object> subcommands();

  /**
   * The commands {@code tck run} also runs after the rules, as argument lists (e.g. {@code
   * ["golden", "verify"]}); their exit codes count towards the run's.
   *
   * @param reportDir the run's {@code --report-dir}, or null: a step writing reports puts them in
   *     a folder of its own under it
   */
  default List<List<String>> runSteps(Path reportDir) {
    return List.of();
  }

  /** New studies (picocli command objects) to add under {@code tck study}. */
  default List<Object> studies() {
    return List.of();
  }
}
