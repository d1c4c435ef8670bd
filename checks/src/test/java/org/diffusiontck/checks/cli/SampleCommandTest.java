package org.diffusiontck.checks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.Variance;
import org.diffusiontck.checks.io.Npy;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.oracle.FiniteData;
import org.diffusiontck.reference.oracle.GaussianData;
import org.diffusiontck.reference.oracle.TinyImage;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.VarianceChoice;
import org.diffusiontck.reference.sampling.DdimEpsilon;
import org.diffusiontck.reference.sampling.DdimSampler;
import org.diffusiontck.reference.sampling.DdimStep;
import org.diffusiontck.reference.sampling.DdpmSampler;
import org.diffusiontck.reference.sampling.DdpmStep;
import org.diffusiontck.reference.sampling.FinalAlphaBar;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.diffusiontck.reference.sampling.PreviousTimestep;
import org.diffusiontck.reference.sampling.Sampler;
import org.diffusiontck.reference.sampling.StepNoise;
import org.diffusiontck.reference.sampling.Timesteps;
import org.diffusiontck.reference.sampling.X0Clipping;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code tck sample} is a transport: its samples are exactly those of the reference sampler called
 * directly with the same oracle, options and portable noise (stream 0 for x_T, stream 1 for the
 * steps); its files have the documented shapes and fields; bad input exits with 2.
 */
class SampleCommandTest {
  @TempDir Path dir;

  @BeforeAll
  static void doubles() {
    Tensors.useDoubles();
  }

  private Cli.Result sample(String... args) {
    List<String> all = new ArrayList<>(List.of("sample", "--out", dir.toString()));
    all.addAll(List.of(args));
    Cli.Result result = Cli.run(all.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.OK);
    return result;
  }

  private Npy.Array samples() throws IOException {
    try (InputStream in = Files.newInputStream(dir.resolve("samples.npy"))) {
      return Npy.read(in);
    }
  }

  private JsonNode run() throws IOException {
    return new ObjectMapper().readTree(dir.resolve("run.json").toFile());
  }

  private static double[] doubles(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).mapToDouble(JsonNode::doubleValue)
        .toArray();
  }

  private static int[] ints(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).mapToInt(JsonNode::intValue)
        .toArray();
  }

  /** The reference sampler run directly on x_T = stream 0 with stream 1 for the steps. */
  private static double[] direct(Sampler sampler, NoisePredictor model, long seed,
      long... shape) {
    INDArray xT = new PortableNoise(seed, 0).normal(shape);
    INDArray x = sampler.sample(model, xT, StepNoise.from(new PortableNoise(seed, 1)));
    return Nd4j.toFlattened('c', x).toDoubleVector();
  }

  @Test
  void ddimOnThePointsIsTheReferenceSamplerExactly() throws Exception {
    sample("--oracle", "points", "--sampler", "ddim", "--steps", "20", "--eta", "0.5",
        "--batch", "4", "--seed", "9", "--quiet");

    NoiseSchedule linear = Schedules.linear(1000);
    DdimSampler ddim = new DdimSampler(new DdimStep(linear, 0.5, DdimEpsilon.MODEL,
        FinalAlphaBar.ONE, X0Clipping.NONE), Timesteps.linspace(1000, 20),
        PreviousTimestep.NEXT_SELECTED);
    Npy.Array got = samples();
    assertThat(got.shape()).containsExactly(4, 1, 8, 8);
    assertThat(got.data())
        .containsExactly(direct(ddim, FiniteData.tinyImages(linear), 9, 4, 1, 8, 8));
  }

  /** Every DDIM option given, on a cosine schedule with T = 100. */
  @Test
  void ddimOptionsReachTheReferenceSampler() throws Exception {
    sample("--oracle", "points", "--sampler", "ddim", "--steps", "7", "--eta", "0.3",
        "--batch", "3", "--seed", "0x2a", "--schedule", "cosine", "--diffusion-steps", "100",
        "--spacing", "leading", "--leading-offset", "1", "--clip", "dynamic",
        "--dynamic-percentile", "0.9", "--dynamic-max-value", "1.5", "--final-alpha-bar",
        "first-selected", "--previous-timestep", "fixed-stride", "--recompute-eps", "--quiet");

    NoiseSchedule cosine = Schedules.cosine(100);
    DdimSampler ddim = new DdimSampler(new DdimStep(cosine, 0.3,
        DdimEpsilon.RECOMPUTED_FROM_CLIPPED_X0, FinalAlphaBar.FIRST_SELECTED,
        X0Clipping.dynamicThresholding(0.9, 1.5)), Timesteps.leading(100, 7, 1),
        PreviousTimestep.FIXED_STRIDE);
    assertThat(samples().data())
        .containsExactly(direct(ddim, FiniteData.tinyImages(cosine), 42, 3, 1, 8, 8));
    JsonNode run = run();
    assertThat(run.get("schedule").get("name").textValue()).isEqualTo("cosine");
    assertThat(run.get("schedule").get("T").intValue()).isEqualTo(100);
    assertThat(run.get("leading_offset").intValue()).isEqualTo(1);
    assertThat(run.get("dynamic_percentile").doubleValue()).isEqualTo(0.9);
    assertThat(run.get("dynamic_max_value").doubleValue()).isEqualTo(1.5);
    assertThat(run.get("final_alpha_bar").textValue()).isEqualTo("first-selected");
    assertThat(run.get("previous_timestep").textValue()).isEqualTo("fixed-stride");
    assertThat(run.get("ddim_epsilon").textValue()).isEqualTo("recomputed-from-clipped-x0");
    // leading, offset 1: t = 14k + 2 for k = 6..0; fixed stride ⌊100/7⌋ = 14 below each.
    assertThat(ints(run.get("timesteps"))).containsExactly(86, 72, 58, 44, 30, 16, 2);
    assertThat(ints(run.get("targets"))).containsExactly(72, 58, 44, 30, 16, 2, 0);
    assertThat(run.get("noise").get("seed").asText()).isEqualTo("42");
  }

  /**
   * The Gaussian oracle's μ and s in run.json are the per-pixel mean and population standard
   * deviation of the five tiny images (Commons Math's Mean and Variance(false), to ≤ 5 roundings
   * of numbers ≤ 1 and a square root: 1e-15); by hand at pixel (7, 0), where all five are −1 (μ =
   * −1, s = 0 exactly), and at (0, 0), where they are −1, −1, 1, 1, −1 (μ = −0.2, s² = 0.96). The
   * DDPM run equals the reference with that oracle exactly.
   */
  @Test
  void ddpmOnTheGaussianIsTheReferenceSamplerExactly() throws Exception {
    sample("--oracle", "gaussian", "--sampler", "ddpm", "--steps", "30", "--variance",
        "fixed-large", "--spacing", "trailing", "--clip", "clip", "--batch", "5", "--seed", "3",
        "--quiet");

    JsonNode data = run().get("data");
    double[] mu = doubles(data.get("mu"));
    double[] s = doubles(data.get("s"));
    assertThat(ints(data.get("shape"))).containsExactly(1, 8, 8);
    double[][] points = new double[5][];
    for (TinyImage image : TinyImage.values()) {
      points[image.ordinal()] = Nd4j.toFlattened('c', image.image()).toDoubleVector();
    }
    for (int i = 0; i < 64; i++) {
      int pixel = i;
      double[] values = IntStream.range(0, 5).mapToDouble(k -> points[k][pixel]).toArray();
      assertThat(mu[i]).isCloseTo(new Mean().evaluate(values), within(1e-15));
      assertThat(s[i]).isCloseTo(Math.sqrt(new Variance(false).evaluate(values)),
          within(1e-15));
    }
    assertThat(mu[56]).isEqualTo(-1.0);
    assertThat(s[56]).isEqualTo(0.0);
    assertThat(mu[0]).isCloseTo(-0.2, within(1e-15));
    assertThat(s[0]).isCloseTo(Math.sqrt(0.96), within(1e-15));

    NoiseSchedule linear = Schedules.linear(1000);
    long[] one = {1, 8, 8};
    GaussianData gaussian = new GaussianData(linear, Nd4j.create(mu, one, 'c'),
        Nd4j.create(s, one, 'c'));
    DdpmSampler ddpm = new DdpmSampler(new DdpmStep(linear, Timesteps.trailing(1000, 30),
        VarianceChoice.FIXED_LARGE, T1LogVariance.CLIP_TO_BETA_TILDE_2, X0Clipping.CLIP));
    assertThat(samples().data()).containsExactly(direct(ddpm, gaussian, 3, 5, 1, 8, 8));
  }

  /**
   * run.json names every parameter, the timesteps (linspace, T = 1000, N = 10: rint(111 k) + 1),
   * the noise (DDPM draws on every step but the last), the files and the versions; stdout lists
   * the three files; grid.png is 4 columns of 32 pixels and 5 separators for B = 16.
   */
  @Test
  void filesAndTheirFields() throws Exception {
    Cli.Result result = sample("--oracle", "points", "--sampler", "ddpm", "--steps", "10",
        "--quiet");

    assertThat(result.err()).isEmpty();
    assertThat(result.out().lines()).containsExactly(dir.resolve("samples.npy").toString(),
        dir.resolve("grid.png").toString(), dir.resolve("run.json").toString());
    assertThat(samples().shape()).containsExactly(16, 1, 8, 8);
    BufferedImage grid = ImageIO.read(dir.resolve("grid.png").toFile());
    assertThat(grid.getWidth()).isEqualTo(4 * 32 + 5);
    assertThat(grid.getHeight()).isEqualTo(4 * 32 + 5);
    // The top-left image pixel (0, 0) of sample 0 fills the block at (1..4, 1..4).
    int level = (int) Math.max(0, Math.min(255, Math.rint((samples().data()[0] + 1) * 127.5)));
    assertThat(grid.getRGB(4, 4) & 0xFFFFFF).isEqualTo(level << 16 | level << 8 | level);

    JsonNode run = run();
    assertThat(run.get("oracle").textValue()).isEqualTo("points");
    assertThat(run.get("sampler").textValue()).isEqualTo("ddpm");
    assertThat(run.get("steps").intValue()).isEqualTo(10);
    assertThat(run.get("batch").intValue()).isEqualTo(16);
    assertThat(run.get("spacing").textValue()).isEqualTo("linspace");
    assertThat(run.get("clip").textValue()).isEqualTo("none");
    assertThat(run.get("variance").textValue()).isEqualTo("fixed-small");
    assertThat(run.has("eta")).isFalse();
    assertThat(run.get("data").get("points").toString())
        .isEqualTo("[\"cross\",\"square\",\"diagonal\",\"checkerboard\",\"gradient\"]");
    assertThat(ints(run.get("timesteps")))
        .containsExactly(1000, 889, 778, 667, 556, 445, 334, 223, 112, 1);
    assertThat(ints(run.get("targets")))
        .containsExactly(889, 778, 667, 556, 445, 334, 223, 112, 1, 0);
    JsonNode noise = run.get("noise");
    assertThat(noise.get("seed").asText()).isEqualTo("0");
    assertThat(noise.get("x_T").get("stream").intValue()).isZero();
    assertThat(ints(noise.get("x_T").get("shape"))).containsExactly(16, 1, 8, 8);
    assertThat(noise.get("steps").get("stream").intValue()).isEqualTo(1);
    assertThat(ints(noise.get("steps").get("drawn_on_steps")))
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(run.get("files").toString())
        .isEqualTo("[\"samples.npy\",\"grid.png\",\"run.json\"]");
    assertThat(run.get("versions").get(0).textValue()).startsWith("Diffusion TCK ");
  }

  /**
   * DDIM with η &gt; 0 draws noise where σ &gt; 0: under ONE not on the last step, which lands on
   * ᾱ_0 = 1 (σ = 0 there).
   */
  @Test
  void ddimDrawsNoiseOnlyWhereSigmaIsPositive() throws Exception {
    sample("--oracle", "gaussian", "--sampler", "ddim", "--steps", "4", "--eta", "1",
        "--batch", "2", "--quiet");

    assertThat(ints(run().get("noise").get("steps").get("drawn_on_steps")))
        .containsExactly(0, 1, 2);
  }

  /** Without a console, a progress line at each tenth of the steps (every step when N &lt; 10). */
  @Test
  void progressIsALineEveryTenthOfTheSteps() {
    Cli.Result twenty = sample("--oracle", "gaussian", "--sampler", "ddim", "--steps", "20",
        "--batch", "1");
    assertThat(twenty.errLines()).hasSize(10);
    assertThat(twenty.errLines().get(0)).isEqualTo("tck sample: step 2/20 (t = 947)");
    assertThat(twenty.errLines().get(9)).isEqualTo("tck sample: step 20/20 (t = 1)");

    Cli.Result three = sample("--oracle", "gaussian", "--sampler", "ddim", "--steps", "3",
        "--batch", "1");
    assertThat(three.errLines()).containsExactly("tck sample: step 1/3 (t = 1000)",
        "tck sample: step 2/3 (t = 501)", "tck sample: step 3/3 (t = 1)");
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        bad("--steps must be in 1..1000 (T), got 0", "--steps", "0"),
        bad("--steps must be in 1..1000 (T), got 1001", "--steps", "1001"),
        bad("--steps must be in 1..10 (T), got 11", "--steps", "11", "--diffusion-steps", "10"),
        bad("--diffusion-steps must be at least 1, got 0", "--steps", "1",
            "--diffusion-steps", "0"),
        bad("--batch must be at least 1, got 0", "--steps", "5", "--batch", "0"),
        bad("eta must be in [0.0, 1.0], got 2.0", "--steps", "5", "--eta", "2"),
        bad("--variance applies to the ddpm sampler only", "--steps", "5", "--variance",
            "fixed-large"),
        bad("--leading-offset applies to --spacing leading only", "--steps", "5",
            "--leading-offset", "1"),
        bad("--dynamic-percentile applies to --clip dynamic only", "--steps", "5",
            "--dynamic-percentile", "0.9"),
        bad("p must be in [0.0, 1.0], got 1.5", "--steps", "5", "--clip", "dynamic",
            "--dynamic-percentile", "1.5"),
        bad("puts the first LEADING timestep at 1601", "--steps", "5", "--spacing", "leading",
            "--leading-offset", "800"),
        // 4 * 200 + 2147483647 + 1 in int arithmetic would wrap around to a negative number
        bad("puts the first LEADING timestep at 2147484448", "--steps", "5", "--spacing",
            "leading", "--leading-offset", "2147483647"),
        bad("'foo'", "--steps", "5", "--schedule", "foo"),
        bad("'first'", "--steps", "5", "--final-alpha-bar", "first"),
        bad("'abc'", "--steps", "abc"));
  }

  private static Arguments bad(String fragment, String... args) {
    return Arguments.of(fragment, args);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badArguments")
  void badInputIsOneLineAndExitCodeTwo(String fragment, String[] args) {
    List<String> all = new ArrayList<>(List.of("sample", "--oracle", "points", "--sampler",
        "ddim", "--out", dir.toString()));
    all.addAll(List.of(args));
    Cli.Result result = Cli.run(all.toArray(String[]::new));

    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.err()).startsWith("tck sample: ").contains(fragment)
        .doesNotContain("\tat ");
  }

  @Test
  void ddimOptionsWithDdpmAndMissingOptionsAreUsageErrors() throws Exception {
    Cli.Result eta = Cli.run("sample", "--oracle", "points", "--sampler", "ddpm", "--steps",
        "5", "--eta", "0.5", "--out", dir.toString());
    assertThat(eta.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(eta.err()).isEqualTo("tck sample: --eta applies to the ddim sampler only"
        + " (see 'tck sample --help')\n");

    Cli.Result noOut = Cli.run("sample", "--oracle", "points", "--sampler", "ddim", "--steps",
        "5");
    assertThat(noOut.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(noOut.err()).startsWith("tck sample: ").contains("'--out=DIR'");

    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Cli.Result outIsAFile = Cli.run("sample", "--oracle", "points", "--sampler", "ddim",
        "--steps", "5", "--out", file.toString());
    assertThat(outIsAFile.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(outIsAFile.errLines()).hasSize(1);
    assertThat(outIsAFile.err()).startsWith("tck sample: already exists: ")
        .contains("a-file");
  }
}
