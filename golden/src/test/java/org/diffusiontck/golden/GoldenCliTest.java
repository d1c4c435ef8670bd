package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tck golden}: the subcommands, a record made and verified, and bad input. */
class GoldenCliTest {
  @Test
  void tckListsGoldenAndGoldenNeedsASubcommand() {
    assertThat(Repo.tck("--help").out()).contains("golden");
    assertThat(Repo.tck("golden", "--help").out()).contains("record").contains("verify")
        .contains("compare");
    Repo.Result r = Repo.tck("golden");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("missing subcommand");
  }

  /** A small oracle record: every file's SHA-256 as sha256sum gives it; verify passes on it. */
  @Test
  void recordsAndVerifiesAnOracleRecord(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("rec");
    Repo.Result made = Repo.tck("golden", "record", "--model", "oracle:gaussian", "--schedule",
        "cosine", "--steps", "20", "--seeds", "3,4", "--ddim-steps", "5", "--out",
        out.toString());
    assertThat(made.exitCode()).as(made.err()).isZero();
    assertThat(made.out()).contains("recorded rec in").contains("[ddim-5, ddpm-20], 2 seeds");
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertThat(manifest.get("schedule").get("kind").asText()).isEqualTo("cosine");
    int files = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = manifest.get("files").fields();
        it.hasNext(); files++) {
      Map.Entry<String, JsonNode> f = it.next();
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(out.resolve(f.getKey())));
      assertThat(f.getValue().asText()).as(f.getKey()).isEqualTo(HexFormat.of().formatHex(digest));
    }
    assertThat(files).isEqualTo(2 * 2 + 3);

    Repo.Result verified = Repo.tck("golden", "verify", "--golden", out.toString(), "--report",
        tmp.resolve("report").toString());
    assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
    assertThat(verified.out()).contains("golden verify rec: PASSED, " + (2 * 2 + 2 + 6)
        + " checks, 0 failed");
  }

  @Test
  void badInputExitsTwoWithOneLine(@TempDir Path tmp) {
    Repo.Result seeds = Repo.tck("golden", "record", "--model", "oracle:gaussian", "--seeds",
        "5-2", "--out", tmp.toString());
    assertThat(seeds.exitCode()).isEqualTo(2);
    assertThat(seeds.err()).contains("--seeds must be");

    Repo.Result noEval = Repo.tck("golden", "record", "--model", Repo.CHECKPOINT.toString(),
        "--out", tmp.toString());
    assertThat(noEval.exitCode()).isEqualTo(2);
    assertThat(noEval.err()).contains("needs an evaluation batch");

    Repo.Result oracle = Repo.tck("golden", "record", "--model", "oracle:nothing", "--out",
        tmp.toString());
    assertThat(oracle.exitCode()).isEqualTo(2);
    assertThat(oracle.err()).contains("oracle:tiny-images").contains("oracle:gaussian");

    Repo.Result threads = Repo.tck("golden", "verify", "--threads", "100000", "--report",
        tmp.toString());
    assertThat(threads.exitCode()).isEqualTo(2);
    assertThat(threads.err()).contains("threads must be in 1..").contains("got 100000");

    Repo.Result cuda = Repo.tck("golden", "verify", "--provider", "cuda", "--report",
        tmp.toString());
    assertThat(cuda.exitCode()).isEqualTo(2);
    assertThat(cuda.err()).contains("onnxruntime_gpu");
  }
}
