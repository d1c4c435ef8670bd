package org.diffusiontck.checks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.diffusiontck.checks.conform.KitPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The launcher's platform detection ({@code platform} in {@code tck}), run by bash with a fake
 * {@code uname} first on the PATH that answers what each operating system's own {@code uname -s}
 * and {@code uname -m} print there.
 */
class LauncherPlatformTest {
  private static final Path TCK = KitPaths.root().resolve("tck");

  @TempDir
  static Path fakes;

  private record Result(int exitCode, String out, String err) {}

  /** Writes an executable script {@code name} into the fakes' directory. */
  private static void fake(String name, String body) throws IOException {
    Path script = fakes.resolve(name);
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Runs {@code bash -c script} with the fakes first on the PATH, uname answering s and m. */
  private static Result bash(String s, String m, String script) throws Exception {
    fake("uname", "case \"$1\" in -s) echo \"$FAKE_S\" ;; -m) echo \"$FAKE_M\" ;; esac");
    ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c", script, "bash", TCK.toString()));
    Map<String, String> env = pb.environment();
    env.put("PATH", fakes + ":" + env.get("PATH"));
    env.put("FAKE_S", s);
    env.put("FAKE_M", m);
    Path err = fakes.resolve("stderr.txt");
    Process p = pb.redirectError(err.toFile()).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("bash ended").isTrue();
    return new Result(p.exitValue(), out, Files.readString(err));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "Linux, x86_64, linux-x86_64",
    "Linux, aarch64, linux-arm64",
    "Darwin, x86_64, macosx-x86_64",
    "Darwin, arm64, macosx-arm64",
    "MINGW64_NT-10.0-19045, x86_64, windows-x86_64",
    "MSYS_NT-10.0-19045, x86_64, windows-x86_64",
    "CYGWIN_NT-10.0-19045, x86_64, windows-x86_64",
  })
  void eachSupportedPlatformIsNamedAsJavaCppNamesIt(String s, String m, String platform)
      throws Exception {
    Result r = bash(s, m, "source \"$1\" && platform");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(platform + "\n");
    assertThat(r.err()).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "Linux, ppc64le",
    "Linux, armv7l",
    "Linux, i686",
    "Linux, riscv64",
    "FreeBSD, amd64",
    "SunOS, i86pc",
    "MINGW64_NT-10.0-22631-ARM64, aarch64",
  })
  void anyOtherPlatformIsRefusedWithOneLineAndStatus3(String s, String m) throws Exception {
    Result r = bash(s, m, "source \"$1\" && platform");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("tck: unsupported platform: " + s + " " + m + "; the kit runs"
        + " on linux-x86_64, linux-arm64, macosx-x86_64, macosx-arm64 and windows-x86_64"
        + " (README.md, Platforms)\n");
  }

  /** The launcher itself stops there, before it builds or starts anything. */
  @Test
  void theLauncherOnAnUnsupportedPlatformExits3BeforeBuilding() throws Exception {
    fake("mvn", "echo mvn was started >&2; exit 9");
    fake("java", "echo java was started >&2; exit 9");
    Result r = bash("Linux", "ppc64le", "\"$1\" --version");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err().lines()).singleElement().asString()
        .startsWith("tck: unsupported platform: Linux ppc64le;");
  }

  /** On Windows the JVM reads Windows paths: cygpath converts the shell's. */
  @Test
  void pathsReachTheJvmAsItsPlatformWritesThem() throws Exception {
    fake("cygpath", "[ \"$1\" = -w ] && printf '%s\\n' 'C:\\kit\\tck'");
    assertThat(bash("Linux", "x86_64", "source \"$1\" && native_path linux-x86_64 /c/kit/tck")
        .out()).isEqualTo("/c/kit/tck\n");
    assertThat(bash("MINGW64_NT-10.0", "x86_64",
        "source \"$1\" && native_path windows-x86_64 /c/kit/tck").out())
        .isEqualTo("C:\\kit\\tck\n");
  }
}
