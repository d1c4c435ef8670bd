package org.diffusiontck.checks.conform;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the kit's language-neutral files are: the repository the CLI was built in (found upwards
 * from the location of these classes, e.g. {@code checks/target/classes}), else the working
 * directory.
 */
public final class KitPaths {
  private KitPaths() {}

  /**
   * The kit's root.
   *
   * @return the first directory upwards holding {@code spec/} and {@code checks/}
   */
  public static Path root() {
    try {
      Path p = Path.of(KitPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path q = p.toAbsolutePath(); q != null; q = q.getParent()) {
        if (Files.isDirectory(q.resolve("spec")) && Files.isDirectory(q.resolve("checks"))) {
          return q;
        }
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // no code source (an unusual class loader): fall back to the working directory
    }
    return Path.of("").toAbsolutePath();
  }

  /**
   * The committed vectors.
   *
   * @return {@code spec/vectors} in the kit's root
   */
  public static Path vectors() {
    return root().resolve("spec").resolve("vectors");
  }

  /**
   * The Python example implementation.
   *
   * @return {@code spec/examples/python/diffusion_impl.py} in the kit's root
   */
  public static Path pythonExample() {
    return root().resolve("spec").resolve("examples").resolve("python")
        .resolve("diffusion_impl.py");
  }

  /**
   * A path as messages show it.
   *
   * @param p a path
   * @return {@code p} relative to the kit's root when it lies inside it, else as is
   */
  public static String shown(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path root = root();
    return abs.startsWith(root) ? root.relativize(abs).toString() : p.toString();
  }
}
