package org.diffusiontck.checks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tck} in a JVM of its own, as the launcher runs it: stdout holds the output and nothing
 * else (no ND4J start-up log), stderr is empty on success, and the exit code reaches the shell.
 */
class StandardStreamsTest {
  private record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /** Runs {@code java -cp <this test's classpath> Tck args}; stderr goes to a file. */
  private static Run tck(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Tck.class.getName());
    command.addAll(List.of(args));
    Path err = Files.createTempFile("tck-stderr", ".txt");
    try {
      Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("tck finished").isTrue();
      return new Run(
          process.exitValue(),
          new String(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.delete(err);
    }
  }

  @Test
  void scheduleWritesOnlyTheCsvToStdout() throws Exception {
    Run run = tck("schedule", "cosine", "--steps", "3");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).isEqualTo("t,beta,alpha_bar,one_minus_alpha_bar,snr,log_snr");
    NoiseSchedule cosine = Schedules.cosine(3);
    for (int t = 0; t <= 3; t++) {
      String[] cells = lines.get(t + 1).split(",");
      assertThat(cells[0]).isEqualTo(Integer.toString(t));
      assertThat((Object) Double.parseDouble(cells[2])).isEqualTo(cosine.alphaBar(t));
    }
  }

  /** The noise path starts ND4J, whose start-up log must stay off both streams. */
  @Test
  void noiseWritesOnlyOneJsonDocumentToStdout() throws Exception {
    Run run = tck("noise", "--seed", "1", "--shape", "2,3", "--format", "json");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    JsonNode root =
        new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .readTree(run.out());
    assertThat(root.get("data")).hasSize(6);
  }

  @Test
  void aBadArgumentExitsWithTwoAndOneLineOnStderr() throws Exception {
    Run run = tck("schedule", "linear", "--steps", "abc");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines().toList())
        .containsExactly(
            "tck schedule: Invalid value for option '--steps': 'abc' is not an int"
                + " (see 'tck schedule --help')");
  }
}
