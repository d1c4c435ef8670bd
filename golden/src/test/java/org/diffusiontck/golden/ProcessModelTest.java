package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.diffusiontck.checks.child.ChildLimits;
import org.diffusiontck.golden.model.LoadedModel;
import org.diffusiontck.golden.model.Oracle;
import org.diffusiontck.golden.model.ProcessModel;
import org.diffusiontck.golden.record.GoldenRecord;
import org.diffusiontck.golden.record.Manifest;
import org.diffusiontck.golden.record.RecordFiles;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.oracle.TinyImage;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model behind the protocol's {@code eps} operation: the Python example's exact oracles give
 * what the reference's oracles give, and broken model processes fail with the reason, naming the
 * model, leaving no process behind.
 */
class ProcessModelTest {
  /** T of the oracle records' cosine schedule (their manifest.json). */
  private static final int T = 100;
  private static final Path EXAMPLE = Repo.ROOT.resolve("spec/examples/python/eps_model.py");
  /**
   * The limits for the broken models: a hang is noticed after 2 s (a safety net: the hanging model
   * never answers); the handshake keeps its generous default, so a slow start on a loaded machine
   * is never mistaken for a failure.
   */
  private static final ChildLimits LIMITS = ChildLimits.defaults().withRequest(Duration.ofSeconds(2));

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  /** {@code process:python3 '<example>' --data <data> --steps <t>}. */
  static String example(String data, int steps) {
    return ProcessModel.PREFIX + "python3 '" + EXAMPLE + "' --data " + data + " --steps " + steps;
  }

  static String broken(String mode) throws URISyntaxException {
    Path script = Path.of(ProcessModelTest.class.getResource("/models/broken_model.py").toURI());
    return ProcessModel.PREFIX + "python3 '" + script + "' " + mode;
  }

  /** Waits up to 5 s for the kit's children to end: none may outlive its model. */
  @AfterEach
  void noProcessOfTheModelSurvives() throws InterruptedException {
    for (int i = 0; i < 100 && !aliveChildren().isEmpty(); i++) {
      Thread.sleep(50);
    }
    assertThat(aliveChildren()).as("processes left behind by the model").isEmpty();
  }

  private static List<ProcessHandle> aliveChildren() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
  }

  /**
   * On x_t = √ᾱ_t y + √(1 − ᾱ_t) ε for each tiny image y at t from 1 to T (ε portable noise), the
   * process's ε* equals the reference oracle's. JSON carries every double exactly both ways, so
   * the difference is the two implementations' rounding of the same closed form (other summation
   * order, glibc's against Java's cos, exp, log1p, expm1, each within an ulp). Its worst case:
   * β_t = 1 − f(t)/f(t − 1) carries a few ulps (4u, u = 2^−53) absolutely; at t = 1, 1 − ᾱ_1 =
   * β_1 ≈ 4e-4 for T = 100, so 4u/β_1 ≈ 1.1e-12 relative, which moves ε* (|ε*| ≲ 5) through
   * 1/√(1 − ᾱ_t) by ≤ 3e-12; the posterior weights move by their logit gaps' rounding, ≤ 64u per
   * squared distance of ≲ 100 where two images compete (≤ 7e-13), which moves x̂_0 (pixels in
   * [−1, 1]) by ≤ 1.5e-12 and ε* by that times √ᾱ/√(1 − ᾱ) ≲ 1 where they compete; and ᾱ_t's
   * product of ≤ 100 factors, ≤ 1.2e-13 relative. Together ≤ 5e-12 per side: 1e-11. The
   * Gaussian oracle's ε* is a few operations on the same ᾱ_t: the same bound holds with room.
   */
  @ParameterizedTest
  @EnumSource(Oracle.class)
  void predictionsEqualTheReferenceOraclesWithinRounding(Oracle oracle) {
    NoiseSchedule schedule = Schedules.cosine(T);
    String data = oracle.spec().substring(Oracle.PREFIX.length());
    INDArray y = oracle == Oracle.TINY_IMAGES ? TinyImage.dataSet()
        : Nd4j.concat(0, TinyImage.CROSS.image().mul(0.5).reshape(1, 1, 8, 8),
            TinyImage.SQUARE.image().reshape(1, 1, 8, 8));
    int batch = (int) y.size(0);
    double worst = 0;
    double nearestMiss = Double.POSITIVE_INFINITY;
    try (ProcessModel process = ProcessModel.start(example(data, T),
        ChildLimits.defaults())) {
      for (int t : new int[] {1, 2, 5, 10, 25, 50, 75, 90, 99, T}) {
        int[] ts = new int[batch];
        Arrays.fill(ts, t);
        INDArray eps = new PortableNoise(7, t).normal(y.shape());
        INDArray xt = y.mul(Math.sqrt(schedule.alphaBar(t)))
            .addi(eps.mul(Math.sqrt(schedule.oneMinusAlphaBar(t))));
        INDArray expected = oracle.model(schedule).predict(xt, ts);
        INDArray got = process.predict(xt, ts);
        assertThat(got.shape()).isEqualTo(xt.shape());
        worst = Math.max(worst, got.sub(expected).amaxNumber().doubleValue());
        if (t > 1) {
          int[] before = Arrays.stream(ts).map(s -> s - 1).toArray();
          INDArray shifted = oracle.model(schedule).predict(xt, before);
          nearestMiss = Math.min(nearestMiss, got.sub(shifted).amaxNumber().doubleValue());
        }
      }
    }
    assertThat(worst).isLessThanOrEqualTo(1e-11);
    // the tolerance catches a model given the 0-based index t − 1 for t: on these inputs that
    // moved ε* by 7.8e-3 or more
    assertThat(nearestMiss).isGreaterThan(1e-6);
  }

  @Test
  void theHandshakeSaysWhatItPredictsAndWhereItRuns() throws Exception {
    try (LoadedModel m = LoadedModel.open(example("gaussian", T), Path.of(""),
        Schedules.cosine(T), null, null)) {
      assertThat(m.predictor().prediction()).isEqualTo(Prediction.EPSILON);
      assertThat(m.environment().key()).isEqualTo("cpu-float64");
      assertThat(m.environment().runtime()).contains("gaussian oracle");
      assertThat(m.isFile()).isFalse();
      assertThat(m.isOracle()).isFalse();
      // a float64 model is held to a record's float64 tolerances, whichever device they name
      assertThat(m.toleranceKey(Set.of("cpu-float32", "jvm-float64")))
          .isEqualTo("jvm-float64");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "crash       | the child exited without answering (exit status 3)",
    "crash       | simulated crash on request 1",
    "hang        | no answer within 2.0 s",
    "garbage     | not a JSON object: this is not JSON",
    "nan         | NaN in the answer at result.data[1]",
    "infinity    | result.data[1] is Infinity; a model's output must be finite",
    "wrong-shape | expected shape [2, 1, 8, 8] (x_t's), got [1]",
    "refuse      | refused eps at t = [3, 4]: this model refuses t = [3, 4]"
  })
  void aBrokenModelFailsTheCommandWithTheReasonNamingIt(String mode, String reason)
      throws Exception {
    String spec = broken(mode);
    try (ProcessModel model = ProcessModel.start(spec, LIMITS)) {
      INDArray xt = Nd4j.zeros(2, 1, 8, 8);
      assertThatThrownBy(() -> model.predict(xt, new int[] {3, 4}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("model " + spec)
          .hasMessageContaining(reason);
    }
  }

  /**
   * A model that exits leaving a daemon behind (in a session of its own, holding the output open)
   * is noticed by its exit, not by a timeout, and the daemon is ended too.
   */
  @Test
  void aModelThatExitsLeavingADaemonIsNoticedAndTheDaemonEnded(@TempDir Path tmp)
      throws Exception {
    Path pid = tmp.resolve("daemon.pid");
    String spec = broken("daemon '" + pid + "'");
    try (ProcessModel model = ProcessModel.start(spec, ChildLimits.defaults())) {
      assertThatThrownBy(() -> model.predict(Nd4j.zeros(2, 1, 8, 8), new int[] {3, 4}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the child exited without answering (exit status 3)");
    }
    long daemon = Long.parseLong(Files.readString(pid).strip());
    assertThat(ProcessHandle.of(daemon).filter(ProcessHandle::isAlive)
        .filter(h -> !zombie(daemon))).isEmpty();
  }

  /** Whether the process is a zombie: dead, not yet reaped by its new parent. */
  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
    } catch (java.io.IOException e) {
      return true;
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "not-a-model | does not declare the operation \"eps\", so it is not a model",
    "no-shape    | needs \"shape\", the shape of one sample"
  })
  void aProcessThatDoesNotDeclareAModelFailsAtTheHandshake(String mode, String reason)
      throws Exception {
    String spec = broken(mode);
    assertThatThrownBy(() -> ProcessModel.start(spec, LIMITS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("model " + spec + ": ")
        .hasMessageContaining(reason);
  }

  @Test
  void samplesOfAnotherShapeThanDeclaredAreNotSent() {
    try (ProcessModel model = ProcessModel.start(example("tiny-images", T),
        ChildLimits.defaults())) {
      assertThatThrownBy(() -> model.predict(Nd4j.zeros(2, 3, 4, 4), new int[] {1, 1}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("accepts samples of shape [1, 8, 8] (its declaration), got x_t"
              + " of shape [2, 3, 4, 4]");
    }
  }

  @Test
  void aCommandThatDoesNotStartIsNamed() {
    assertThatThrownBy(() -> ProcessModel.start(ProcessModel.PREFIX + "no-such-command-x",
        LIMITS))
        .isInstanceOf(IllegalArgumentException.class)
        // the shell exits at once: the handshake's write or its read fails first, as it happens,
        // so the message names either; both carry the exit status and the shell's stderr
        .hasMessageStartingWith("model process:no-such-command-x: the handshake: the child ")
        .hasMessageContaining("(exit status 127)")
        .hasMessageContaining("no-such-command-x: not found");
  }

  /**
   * The documented command, run from the repository's root: golden verify through the example
   * passes on the committed tiny-images record, under its float64 tolerances (all 32 checks, the
   * full record: about 2 s, most of it in 411 requests).
   */
  @Test
  void verifyThroughTheExamplePassesOnTheTinyImagesRecord(@TempDir Path reports) {
    Repo.Result r = Repo.tck("golden", "verify", "--model", ProcessModel.PREFIX + "cd '"
        + Repo.ROOT + "' && python3 spec/examples/python/eps_model.py", "--golden",
        Repo.TINY_IMAGES.toString(), "--report", reports.toString());
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("golden verify oracle-tiny-images: PASSED, 32 checks, 0 failed")
        .contains("note: Recorded in jvm-float64, recomputed in cpu-float64: held to the"
            + " jvm-float64 tolerances.");
  }

  /**
   * A record made through a process model (a reduced one: Gaussian data, T = 20, two seeds,
   * DDIM-5) keeps the command line and no input settings; verify reruns the recorded process and
   * passes, and the reference's own oracle passes against it too.
   */
  @Test
  void aRecordMadeThroughAProcessIsVerifiedByItAndByTheReferenceOracle(@TempDir Path tmp)
      throws Exception {
    Path eval = tmp.resolve("eval.npy");
    RecordFiles.writeNpy(eval, Oracle.GAUSSIAN.evaluationBatch(1));
    Path out = tmp.resolve("rec");
    String spec = example("gaussian", 20);
    Repo.Result made = Repo.tck("golden", "record", "--model", spec, "--schedule", "cosine",
        "--steps", "20", "--seeds", "3,4", "--ddim-steps", "5", "--eval-data", eval.toString(),
        "--data-range", "-2,2", "--out", out.toString());
    assertThat(made.exitCode()).as(made.out() + made.err()).isZero();
    assertThat(made.out()).contains("[ddim-5, ddpm-20], 2 seeds, cpu-float64");
    Manifest m = GoldenRecord.open(out).manifest();
    assertThat(m.model().spec()).isEqualTo(spec);
    assertThat(m.model().sha256()).isNull();
    assertThat(m.model().input()).isNull();

    // the record names a command: run only when trusted
    Repo.Result refused = Repo.tck("golden", "verify", "--golden", out.toString(), "--report",
        tmp.resolve("refused").toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("--trust-record-model");
    Repo.Result again = Repo.tck("golden", "verify", "--trust-record-model", "--golden",
        out.toString(), "--report", tmp.resolve("again").toString());
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("golden verify rec: PASSED")
        .contains("recomputed in cpu-float64: held to the jvm-float64 tolerances.");

    Repo.Result jvm = Repo.tck("golden", "verify", "--model", Oracle.GAUSSIAN.spec(), "--golden",
        out.toString(), "--report", tmp.resolve("jvm").toString());
    assertThat(jvm.exitCode()).as(jvm.out() + jvm.err()).isZero();
    assertThat(jvm.out()).contains("golden verify rec: PASSED")
        .contains("note: Recorded in cpu-float64, recomputed in jvm-float64: held to the"
            + " jvm-float64 tolerances.");
  }
}
