package org.diffusiontck.golden.record;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A record is data: every path it names ({@code files} keys, {@code samplers[].file}, the model
 * file) is resolved inside its folder, or inside the report folder for what a run writes. A name
 * that is absolute, climbs out with {@code ..}, or passes through a symbolic link is refused.
 */
public final class RecordPath {
  private RecordPath() {}

  /**
   * {@code dir}/{@code relative}, checked.
   *
   * @param what how the name is shown in the error, e.g. "the manifest's files key"
   * @throws IllegalArgumentException naming {@code relative} if it leaves {@code dir} or goes
   *     through a symbolic link
   */
  public static Path inside(Path dir, String relative, String what) {
    if (relative == null || relative.isBlank()) {
      throw new IllegalArgumentException(what + " is empty (in " + dir + ")");
    }
    Path rel = Path.of(relative);
    Path base = dir.toAbsolutePath().normalize();
    Path file = base.resolve(rel).normalize();
    if (rel.isAbsolute() || !file.startsWith(base) || file.equals(base)) {
      throw new IllegalArgumentException(what + " '" + relative + "' leaves " + dir
          + ": a record names only files inside its folder");
    }
    for (Path p = file; !p.equals(base); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new IllegalArgumentException(what + " '" + relative + "' in " + dir
            + " is (or goes through) a symbolic link, which a record may not hold");
      }
    }
    return file;
  }
}
