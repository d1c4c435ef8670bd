package org.diffusiontck.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.diffusiontck.golden.model.RuntimeOptions;
import org.diffusiontck.golden.report.Verdict;

/**
 * The shipped checkpoint with one weight changed — the first weight of the first convolution at
 * 4×4 resolution, b2.conv1.weight[0], raised by 0.05 — verified against the shipped record. Run
 * once per test JVM and shared.
 */
final class Perturbed {
  static final String WEIGHT = "b2.conv1.weight";
  static final float DELTA = 0.05f;
  static final Path DIR = Path.of("target/golden-perturbed").toAbsolutePath();
  static final Path MODEL = DIR.resolve("digits-eps-perturbed.onnx");
  static final Path REPORT = DIR.resolve("report");

  private static Verdict verdict;

  private Perturbed() {}

  static synchronized Verdict verdict() {
    if (verdict == null) {
      try {
        Files.createDirectories(DIR);
        Files.write(MODEL, OnnxWeights.perturbed(Files.readAllBytes(Repo.CHECKPOINT), WEIGHT, 0,
            DELTA));
        verdict = Golden.verify(Repo.DIGITS, MODEL.toString(), UnaryOperator.identity(),
            RuntimeOptions.DEFAULT, null, REPORT, false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return verdict;
  }
}
