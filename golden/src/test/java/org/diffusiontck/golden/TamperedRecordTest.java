package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A golden file that is missing or changed since it was recorded (its SHA-256 differs from the
 * manifest's) is an error naming the file: exit code 2, one line on stderr, before any sampling.
 */
class TamperedRecordTest {
  @Test
  void aChangedFileIsNamed(@TempDir Path tmp) throws Exception {
    Path record = Repo.copy(Repo.DIGITS, tmp);
    Path file = record.resolve("samples/ddim-50.npy");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
    String[][] commands = {
      {"golden", "verify", "--golden", record.toString()},
      {"golden", "compare", "--golden", record.toString(), "--candidate",
          Repo.PYTORCH_CANDIDATE.toString()}
    };
    for (String[] command : commands) {
      String[] args = java.util.Arrays.copyOf(command, command.length + 2);
      args[command.length] = "--report";
      args[command.length + 1] = tmp.resolve("r").toString();
      Repo.Result r = Repo.tck(args);
      assertThat(r.exitCode()).as(command[1]).isEqualTo(2);
      assertThat(r.err().lines()).singleElement().asString()
          .startsWith("tck golden " + command[1] + ": golden file samples/ddim-50.npy")
          .contains("has SHA-256").contains("changed since it was recorded");
    }
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path tmp) throws Exception {
    assertThat(verifyWithout(tmp, "evaluation/loss.npy"))
        .contains("golden file evaluation/loss.npy is missing");
  }

  @Test
  void aMissingManifestIsNamed(@TempDir Path tmp) throws Exception {
    assertThat(verifyWithout(tmp, "manifest.json")).contains("has no manifest.json");
  }

  /** Verifies a copy of the shipped record without {@code file}; exit code 2, the message. */
  private static String verifyWithout(Path tmp, String file) throws Exception {
    Path record = Repo.copy(Repo.DIGITS, tmp);
    Files.delete(record.resolve(file));
    Repo.Result r = Repo.tck("golden", "verify", "--golden", record.toString(), "--report",
        tmp.resolve("r").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    return r.err();
  }
}
