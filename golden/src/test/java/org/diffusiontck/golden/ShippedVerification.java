package org.diffusiontck.golden;

import java.nio.file.Path;

/**
 * {@code tck golden verify} with no options, as CI and {@code ./tck golden verify} run it: the
 * shipped checkpoint against its committed record. Run once per test JVM and shared.
 */
final class ShippedVerification {
  /** Where its reports go. */
  static final Path REPORT = Path.of("target/golden-verify").toAbsolutePath();

  private static Repo.Result result;

  private ShippedVerification() {}

  static synchronized Repo.Result result() {
    if (result == null) {
      result = Repo.tck("golden", "verify", "--report", REPORT.toString());
    }
    return result;
  }
}
