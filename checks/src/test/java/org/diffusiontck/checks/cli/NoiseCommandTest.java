package org.diffusiontck.checks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.diffusiontck.checks.io.Npy;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tck noise} is a transport: in every format, the values read back to exactly the first
 * n normals of {@code PortableNoise(seed, stream)}, in C order.
 */
class NoiseCommandTest {
  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  private static Cli.Result noise(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "noise";
    System.arraycopy(args, 0, all, 1, args.length);
    Cli.Result result = Cli.run(all);
    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
    return result;
  }

  private static double[] textValues(List<String> lines) {
    return lines.stream().skip(1).mapToDouble(Double::parseDouble).toArray();
  }

  @Test
  void textIsACommentLineThenTheNormalsInCOrder() {
    List<String> lines = noise("--seed", "1", "--shape", "2,3,4,4").out().lines().toList();

    assertThat(lines.get(0))
        .isEqualTo("# portable noise: seed 1, stream 0, shape 2,3,4,4, C order");
    assertThat(textValues(lines)).containsExactly(new PortableNoise(1, 0).normals(96));
  }

  @Test
  void jsonHoldsSeedStreamShapeAndTheFlatData() throws Exception {
    JsonNode root =
        new ObjectMapper()
            .readTree(noise("--seed", "7", "--stream", "3", "--shape", "2,3,5", "--format",
                "json").out());

    assertThat(root.get("seed").asText()).isEqualTo("7");
    assertThat(root.get("stream").asText()).isEqualTo("3");
    assertThat(root.get("order").textValue()).isEqualTo("C");
    assertThat(StreamSupport.stream(root.get("shape").spliterator(), false)
            .mapToLong(JsonNode::longValue).toArray())
        .containsExactly(2, 3, 5);
    double[] data =
        StreamSupport.stream(root.get("data").spliterator(), false)
            .peek(node -> assertThat(node.isNumber()).isTrue())
            .mapToDouble(JsonNode::doubleValue)
            .toArray();
    assertThat(data).containsExactly(new PortableNoise(7, 3).normals(30));
  }

  @Test
  void npyFileHoldsTheShapeAndTheNormals(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("noise.npy");
    Cli.Result result = noise("--seed", "1", "--shape", "1,3,2,2", "--format", "npy", "--out",
        file.toString());

    assertThat(result.out()).isEmpty();
    try (InputStream in = Files.newInputStream(file)) {
      Npy.Array array = Npy.read(in);
      assertThat(array.shape()).containsExactly(1, 3, 2, 2);
      assertThat(array.data()).containsExactly(new PortableNoise(1, 0).normals(12));
    }
  }

  @Test
  void outWritesTheTextToAFileAndNothingToStdout(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("noise.txt");
    Cli.Result result = noise("--seed", "2", "--shape", "5", "--out", file.toString());

    assertThat(result.out()).isEmpty();
    assertThat(textValues(Files.readAllLines(file)))
        .containsExactly(new PortableNoise(2, 0).normals(5));
  }

  /** Key words are unsigned: 2^64 − 1 is the long −1, and 0x10 is 16. */
  @Test
  void seedAndStreamAreUnsigned64BitWordsInDecimalOrHex() {
    List<String> lines =
        noise("--seed", "18446744073709551615", "--stream", "0x10", "--shape", "3").out().lines()
            .toList();

    assertThat(lines.get(0)).contains("seed 18446744073709551615, stream 16,");
    assertThat(textValues(lines)).containsExactly(new PortableNoise(-1L, 16L).normals(3));
  }

  /** A signed seed is the same 64 bits: -1 is 2^64 − 1, for noise as for rules. */
  @Test
  void aSignedSeedIsTheSameWord() {
    assertThat(noise("--seed", "-1", "--shape", "3").out())
        .isEqualTo(noise("--seed", "18446744073709551615", "--shape", "3").out());
  }
}
