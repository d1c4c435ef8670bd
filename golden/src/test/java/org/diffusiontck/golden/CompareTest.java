package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusiontck.golden.check.Check;
import org.diffusiontck.golden.check.SampleDiff;
import org.diffusiontck.golden.record.RecordFiles;
import org.diffusiontck.golden.report.Verdict;
import org.diffusiontck.reference.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code golden compare} on candidate folders. The committed candidate is another pipeline
 * (golden/train/pytorch_candidate.py: the PyTorch model and its own DDIM and DDPM code, float32)
 * sampled from the record's portable noise.
 */
class CompareTest {
  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  @Test
  void thePyTorchPipelinePassesUnderItsCpuFloat32Tolerance(@TempDir Path reports)
      throws Exception {
    Verdict v = Golden.compare(Repo.DIGITS, Repo.PYTORCH_CANDIDATE, null, reports);
    assertThat(v.environment().key()).isEqualTo("cpu-float32");
    assertThat(v.checks()).allMatch(Check::passed);
    assertThat(v.diffs()).hasSize(24);
    assertThat(v.checks()).extracting(Check::id).contains("GOLDEN-LOSS")
        .doesNotContain("GOLDEN-BOUND");
    assertThat(v.notes()).anyMatch(n -> n.contains("no bound"));
  }

  /**
   * One pixel of one sample moved by 0.01 (1.3 8-bit levels, ten times the cpu-float32
   * tolerance): exactly that sample fails, at that pixel.
   */
  @Test
  void aChangedPixelFailsThatSampleAtThatPixel(@TempDir Path tmp) throws Exception {
    Path cand = Repo.copy(Repo.PYTORCH_CANDIDATE, tmp);
    Path file = cand.resolve("samples/ddim-50.npy");
    INDArray x = RecordFiles.readNpy(file);
    x.putScalar(new long[] {2, 0, 3, 4}, x.getDouble(2, 0, 3, 4) + 0.01);
    RecordFiles.writeNpy(file, x);

    Verdict v = Golden.compare(Repo.DIGITS, cand, null, tmp.resolve("reports"));
    assertThat(v.passed()).isFalse();
    assertThat(v.checks().stream().filter(c -> !c.passed()).map(Check::id))
        .containsExactly("GOLDEN-SAMPLE/ddim-50/seed-2");
    SampleDiff d = v.diffs().stream().filter(s -> !s.passed()).findFirst().orElseThrow();
    assertThat(d.worstPixelText()).isEqualTo("(0, 3, 4)");
    assertThat(d.maxAbs()).isBetween(0.01 - 1e-3, 0.01 + 1e-3);
  }

  @Test
  void aMissingCandidateFileIsAnErrorNamingIt(@TempDir Path tmp) throws Exception {
    Path cand = candidateWithout(tmp, "samples/ddpm-1000.npy");
    assertRejected(cand, null, tmp, "candidate file samples/ddpm-1000.npy is missing");
  }

  /** Without candidate.json the environment must be given: the tolerances depend on it. */
  @Test
  void theEnvironmentComesFromTheCandidateOrTheCommandLine(@TempDir Path tmp) throws Exception {
    Path cand = candidateWithout(tmp, "candidate.json");
    assertRejected(cand, null, tmp, "give --environment");
    assertThat(Golden.compare(Repo.DIGITS, cand, "gpu-float16", tmp.resolve("r")).passed())
        .isTrue();
    assertRejected(cand, "tpu-bfloat16", tmp, "no tolerances for environment tpu-bfloat16");
  }

  private static Path candidateWithout(Path tmp, String file) throws Exception {
    Path cand = Repo.copy(Repo.PYTORCH_CANDIDATE, tmp);
    Files.delete(cand.resolve(file));
    return cand;
  }

  private static void assertRejected(Path cand, String environment, Path tmp, String message) {
    assertThatThrownBy(() -> Golden.compare(Repo.DIGITS, cand, environment, tmp.resolve("r")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @Test
  void theCommandLineExitsOneOnAFailureAndTwoOnBadInputAndQuietPrintsOnlyFailures(@TempDir Path tmp) throws Exception {
    Repo.Result ok = Repo.tck("golden", "compare", "--candidate",
        Repo.PYTORCH_CANDIDATE.toString(), "--report", tmp.resolve("ok").toString());
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("golden compare digits: PASSED")
        .contains("ok   GOLDEN-SAMPLE/ddim-10/seed-0");

    Path cand = Repo.copy(Repo.PYTORCH_CANDIDATE, tmp);
    Path file = cand.resolve("samples/ddim-10.npy");
    INDArray x = RecordFiles.readNpy(file);
    RecordFiles.writeNpy(file, x.add(0.5));
    // Every ddim-10 sample moves by 0.5, and the brightest pixels leave the data's range.
    Repo.Result bad = Repo.tck("golden", "compare", "--candidate", cand.toString(), "--report",
        tmp.resolve("bad").toString(), "--quiet");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.out()).contains("FAIL GOLDEN-SAMPLE/ddim-10/seed-0")
        .contains("FAIL SOUND-RANGE").doesNotContain("ok   ")
        .contains("golden compare digits: FAILED, 27 checks, 9 failed");

    Repo.Result missing = Repo.tck("golden", "compare", "--candidate",
        tmp.resolve("nowhere").toString(), "--report", tmp.resolve("m").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("is not a directory");
  }
}
