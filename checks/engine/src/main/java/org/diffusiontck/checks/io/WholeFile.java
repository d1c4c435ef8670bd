package org.diffusiontck.checks.io;

import java.io.BufferedOutputStream;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file whole or not at all: into a temporary file beside it, then renamed over it, so a
 * full disk or a failure half-way never leaves a truncated file, and a symbolic link planted at the
 * name is replaced, never written through. Every error is an {@link IOException} naming the file.
 * A device or pipe that already exists at the name ({@code /dev/stdout}) is written in place, its
 * errors reported all the same.
 */
public final class WholeFile {
  /** What goes into the file. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private WholeFile() {}

  /** Writes {@code content} to {@code target}; its directory must exist. */
  public static void write(Path target, Content content) throws IOException {
    if (target.getFileName() == null || target.toString().isBlank()) {
      throw new IOException("cannot write to the path '" + target + "': it names no file");
    }
    boolean special = Files.exists(target)
        && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
        && !Files.isSymbolicLink(target) && !Files.isDirectory(target);
    if (special) {
      try (OutputStream out = new BufferedOutputStream(
          Files.newOutputStream(target, StandardOpenOption.WRITE))) {
        content.writeTo(out);
      } catch (IOException | UncheckedIOException e) {
        throw failed(target, e);
      }
      return;
    }
    Path dir = target.toAbsolutePath().getParent();
    Path tmp;
    try {
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    } catch (IOException e) {
      throw failed(target, e);
    }
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        content.writeTo(out);
      }
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: its default permissions stay
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | UncheckedIOException e) {
      Files.deleteIfExists(tmp);
      throw failed(target, e);
    } catch (RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** What goes into a text file. */
  @FunctionalInterface
  public interface Text {
    void writeTo(Writer w) throws IOException;
  }

  /** Writes {@code text} as UTF-8; closing the writer it is given only flushes it. */
  public static void writeText(Path target, Text text) throws IOException {
    write(target, out -> {
      Writer w = new FilterWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
        @Override
        public void close() throws IOException {
          flush();
        }
      };
      text.writeTo(w);
      w.flush();
    });
  }

  /** Writes {@code text} as UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static IOException failed(Path target, Exception e) {
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    String why = cause instanceof NoSuchFileException
        ? "its folder " + target.toAbsolutePath().getParent() + " does not exist"
        : cause instanceof AccessDeniedException ? "permission denied"
        : cause.getMessage() == null ? "an error without a message"
        : cause.getMessage().replace(target.toString() + ": ", "");
    return new IOException("cannot write " + target + ": " + why, cause);
  }
}
