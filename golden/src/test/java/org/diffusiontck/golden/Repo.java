package org.diffusiontck.golden;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.diffusiontck.checks.cli.Tck;

/** The repository's shipped files, and {@code tck} run in this JVM, for the golden tests. */
final class Repo {
  /** The repository's root (tests run in golden/). */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path GOLDEN = ROOT.resolve("golden");
  static final Path DIGITS = GOLDEN.resolve("digits");
  static final Path CHECKPOINT = GOLDEN.resolve("checkpoints/digits-eps.onnx");
  static final Path CHECKPOINT_FP16_IO = GOLDEN.resolve("checkpoints/digits-eps-fp16io.onnx");
  static final Path PYTORCH_CANDIDATE = GOLDEN.resolve("candidates/pytorch-cpu-float32");
  static final Path TINY_IMAGES = GOLDEN.resolve("oracle-tiny-images");
  static final Path GAUSSIAN = GOLDEN.resolve("oracle-gaussian");

  private Repo() {}

  /** What one run of {@code tck} returned and wrote. */
  record Result(int exitCode, String out, String err) {}

  /** Runs {@code tck args} with the launcher's tck.home, so that defaults find golden/digits. */
  static Result tck(String... args) {
    System.setProperty("tck.home", ROOT.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Tck.execute(new PrintWriter(out), new PrintWriter(err), null, args);
    return new Result(code, out.toString(), err.toString());
  }

  /** A fresh copy of the directory {@code dir} under {@code into}. */
  static Path copy(Path dir, Path into) throws IOException {
    Path target = into.resolve(dir.getFileName());
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
        Path q = target.resolve(dir.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return target;
  }
}
