package org.diffusiontck.checks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusiontck.checks.io.WholeFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that fails (a full disk: {@code /dev/full}) is exit code 2 with one line naming the
 * file, never a silent exit 0; a file is written whole or not at all, and a symbolic link planted
 * at its name is replaced, not written through.
 */
class WriteErrorsTest {
  @Test
  void aFullDiskIsExitTwoWithOneLineNamingTheFile() {
    Cli.Result result = Cli.run("noise", "--seed", "1", "--shape", "2", "--out", "/dev/full");
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.errLines()).singleElement().asString()
        .startsWith("tck noise: ").contains("cannot write /dev/full");
  }

  @Test
  void aMissingFolderIsSaidInWordsNotAsAJavaExceptionName() {
    Cli.Result result = Cli.run("noise", "--seed", "1", "--shape", "2", "--out",
        "/no-such-folder-for-tck/x.txt");
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.errLines()).singleElement().asString()
        .isEqualTo("tck noise: cannot write /no-such-folder-for-tck/x.txt: its folder"
            + " /no-such-folder-for-tck does not exist")
        .doesNotContain("Exception");
  }

  @Test
  void aFailedWriteToStandardOutputIsExitTwoWithOneLine() {
    PrintWriter out = new PrintWriter(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("No space left on device");
      }
    });
    out.println("a schedule table");
    StringWriter err = new StringWriter();
    assertThat(Tck.outputChecked(out, new PrintWriter(err, true), ExitCode.OK))
        .isEqualTo(ExitCode.USAGE);
    assertThat(err.toString().lines()).singleElement().asString()
        .startsWith("tck: cannot write to standard output");
  }

  @Test
  void aFailureHalfWayLeavesTheOldFileAndNoPartialOne(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("samples.npy");
    Files.writeString(file, "old");
    assertThatThrownBy(() -> WholeFile.write(file, out -> {
      out.write(new byte[100_000]);
      throw new IOException("No space left on device");
    })).isInstanceOf(IOException.class)
        .hasMessage("cannot write " + file + ": No space left on device");
    assertThat(Files.readString(file)).isEqualTo("old");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aSymbolicLinkAtTheNameIsReplacedNotWrittenThrough(@TempDir Path dir) throws IOException {
    Path outside = dir.resolve("outside.txt");
    Files.writeString(outside, "keep");
    Path link = Files.createSymbolicLink(dir.resolve("report.json"), outside);
    WholeFile.writeString(link, "{}");
    assertThat(Files.isSymbolicLink(link)).isFalse();
    assertThat(Files.readString(link)).isEqualTo("{}");
    assertThat(Files.readString(outside)).isEqualTo("keep");
  }

  @Test
  void anEmptyReportFolderIsRefused() {
    Cli.Result result = Cli.run("rules", "--rules", "NOISE-1", "--report-dir", "");
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.errLines()).singleElement().asString()
        .isEqualTo("tck rules: --report-dir is empty: name a folder");
  }

  @Test
  void anEmptyPathIsRefused() {
    Cli.Result result = Cli.run("noise", "--seed", "1", "--shape", "2", "--out", "");
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.errLines()).singleElement().asString().contains("names no file");
  }
}
