package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

  @Test
  void aCommandTheRecordNamesIsNotRunWithoutTrust(@TempDir Path tmp) throws Exception {
    Path record = Repo.copy(Repo.DIGITS, tmp);
    Path marker = tmp.resolve("ran");
    ObjectNode manifest = manifest(record);
    ((ObjectNode) manifest.get("model")).put("spec", "process:touch '" + marker + "'");
    writeManifest(record, manifest);
    String err = verify(record, tmp);
    assertThat(err).contains("names the model 'process:touch").contains("a command")
        .contains("--trust-record-model");
    assertThat(marker).doesNotExist();
  }

  @Test
  void aFileNameLeavingTheRecordIsRefusedBeforeItIsRead(@TempDir Path tmp) throws Exception {
    Path record = Repo.copy(Repo.DIGITS, tmp);
    Files.writeString(tmp.resolve("outside.npy"), "secret");
    ObjectNode manifest = manifest(record);
    ((ObjectNode) manifest.get("files")).put("../outside.npy", "0".repeat(64));
    writeManifest(record, manifest);
    String err = verify(record, tmp);
    assertThat(err).contains("'../outside.npy' leaves").doesNotContain("has SHA-256");
  }

  @Test
  void aSamplerFileLeavingTheReportFolderIsNotWritten(@TempDir Path tmp) throws Exception {
    Path record = Repo.copy(Repo.TINY_IMAGES, tmp);
    ObjectNode manifest = manifest(record);
    ((ObjectNode) manifest.get("samplers").get(0)).put("file", "../../escape.npy");
    writeManifest(record, manifest);
    Repo.Result r = Repo.tck("golden", "verify", "--golden", record.toString(), "--report",
        tmp.resolve("r").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("'../../escape.npy' leaves");
    assertThat(tmp.resolve("escape.npy")).doesNotExist();
  }

  @Test
  void aSymbolicLinkInTheRecordIsRefused(@TempDir Path tmp) throws Exception {
    Path record = Repo.copy(Repo.DIGITS, tmp);
    Path file = record.resolve("evaluation/loss.npy");
    Path moved = tmp.resolve("loss.npy");
    Files.move(file, moved);
    Files.createSymbolicLink(file, moved);
    assertThat(verify(record, tmp)).contains("'evaluation/loss.npy'")
        .contains("symbolic link");
  }

  private static ObjectNode manifest(Path record) throws Exception {
    return (ObjectNode) new ObjectMapper().readTree(record.resolve("manifest.json").toFile());
  }

  private static void writeManifest(Path record, ObjectNode manifest) throws Exception {
    Files.writeString(record.resolve("manifest.json"), manifest.toPrettyString());
  }

  /** golden verify of {@code record} without --model: exit code 2, one line, returned. */
  private static String verify(Path record, Path tmp) throws Exception {
    Repo.Result r = Repo.tck("golden", "verify", "--golden", record.toString(), "--report",
        tmp.resolve("r").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    return r.err();
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
