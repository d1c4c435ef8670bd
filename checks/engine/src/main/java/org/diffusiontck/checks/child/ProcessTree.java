package org.diffusiontck.checks.child;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Everything a child process starts, and how to end all of it ({@code spec/PROTOCOL.md}, the
 * child's process tree). Three nets, each catching what the one before misses:
 *
 * <ol>
 *   <li>the child runs in a session and process group of its own ({@code setsid}, util-linux), so
 *       one signal to the group ends it and every descendant that stayed in the group, even one
 *       whose parent has already exited (double fork);
 *   <li>its descendants, as the JVM sees them, are killed one by one;
 *   <li>it carries a marker in its environment, {@value #MARKER}, inherited by whatever it starts;
 *       on Linux every process whose {@code /proc/<pid>/environ} holds the marker is killed, which
 *       finds a daemon that left the group with its own {@code setsid} and was re-parented.
 * </ol>
 *
 * Where {@code setsid} is not on the PATH (macOS), the child shares the kit's process group and
 * the second net alone applies, plus the third where {@code /proc} exists.
 */
final class ProcessTree {
  /** The environment variable marking every process of one child's tree. */
  static final String MARKER = "DIFFUSION_TCK_CHILD";

  private static final Optional<Path> SETSID = onPath("setsid");
  private static final Path PROC = Path.of("/proc");

  private final Process process;
  private final String marker;
  private final boolean ownGroup;

  private ProcessTree(Process process, String marker, boolean ownGroup) {
    this.process = process;
    this.marker = marker;
    this.ownGroup = ownGroup;
  }

  /** Starts {@code command} in a session of its own, with the marker in its environment. */
  static ProcessTree start(List<String> command, Path directory) throws IOException {
    List<String> line = new ArrayList<>();
    SETSID.ifPresent(s -> line.add(s.toString()));
    line.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(line);
    if (directory != null) {
      pb.directory(directory.toFile());
    }
    String marker = UUID.randomUUID().toString();
    pb.environment().put(MARKER, marker);
    return new ProcessTree(pb.start(), marker, SETSID.isPresent());
  }

  Process process() {
    return process;
  }

  /** Kills the child and every process of its tree; waits until the child is gone. */
  void kill() {
    List<ProcessHandle> descendants = process.descendants().toList();
    if (ownGroup) {
      signalGroup(process.pid());
    }
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    // a process forking while we kill may escape one sweep, not several
    for (int sweep = 0; sweep < 10 && !marked().isEmpty(); sweep++) {
      marked().forEach(ProcessHandle::destroyForcibly);
      sleep(20);
    }
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL to the process group {@code pgid} (the child's own, as {@code setsid} made it). */
  private static void signalGroup(long pgid) {
    try {
      Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no kill command: the other nets still apply
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The live processes whose environment holds this tree's marker (none without /proc). */
  private List<ProcessHandle> marked() {
    List<ProcessHandle> out = new ArrayList<>();
    if (!Files.isDirectory(PROC)) {
      return out;
    }
    byte[] needle = (MARKER + "=" + marker).getBytes(StandardCharsets.UTF_8);
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path dir : pids) {
        byte[] env;
        try {
          env = Files.readAllBytes(dir.resolve("environ"));
        } catch (IOException | SecurityException e) {
          continue; // gone, or another user's
        }
        if (contains(env, needle)) {
          ProcessHandle.of(Long.parseLong(dir.getFileName().toString()))
              .filter(ProcessHandle::isAlive).ifPresent(out::add);
        }
      }
    } catch (IOException e) {
      // /proc unreadable: the other nets still apply
    }
    return out;
  }

  /** Whether {@code env} (NUL-separated entries) holds the entry {@code needle}. */
  private static boolean contains(byte[] env, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= env.length; i++) {
      if (i > 0 && env[i - 1] != 0) {
        continue;
      }
      for (int j = 0; j < needle.length; j++) {
        if (env[i + j] != needle[j]) {
          continue outer;
        }
      }
      if (i + needle.length == env.length || env[i + needle.length] == 0) {
        return true;
      }
    }
    return false;
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
