package org.diffusiontck.checks.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusiontck.checks.io.Json;
import org.diffusiontck.checks.io.Npy;
import org.diffusiontck.checks.io.PngGrid;
import org.diffusiontck.checks.io.WholeFile;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.oracle.ExactOracle;
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
import org.diffusiontck.reference.sampling.PreviousTimestep;
import org.diffusiontck.reference.sampling.Sampler;
import org.diffusiontck.reference.sampling.Spacing;
import org.diffusiontck.reference.sampling.StepListener;
import org.diffusiontck.reference.sampling.StepNoise;
import org.diffusiontck.reference.sampling.Timesteps;
import org.diffusiontck.reference.sampling.X0Clipping;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tck sample}: a sampling run of the reference DDIM or DDPM loop on an exact oracle, from
 * portable noise, written as {@code samples.npy}, {@code grid.png} and {@code run.json}.
 */
@Command(
    name = "sample",
    sortOptions = false,
    description = {
      "Sample with the reference DDIM or DDPM loop from an exact oracle (a model with no error).",
      "Writes DIR/samples.npy (the final samples [B, 1, 8, 8], float64), DIR/grid.png (them as"
          + " a picture: [-1, 1] as black to white, a grid with 1-pixel blue separators, each"
          + " pixel 4×4) and DIR/run.json (every parameter, the timesteps, the noise streams,"
          + " the versions).",
      "Oracles: points = the five 8×8 tiny images, equally likely; gaussian = the Gaussian with"
          + " their per-pixel mean μ and standard deviation s (population, over the five"
          + " images), written to run.json.",
      "Noise: x_T = PortableNoise(seed, stream 0).normal(B, 1, 8, 8); the steps take the next"
          + " [B, 1, 8, 8] tensor of PortableNoise(seed, stream 1) each time they add noise"
          + " (DDPM: every step but the last; DDIM: the steps with σ > 0), in step order"
          + " (spec/NOISE.md).",
      "Progress on stderr: one line rewritten in place (\\r) when the JVM has a console,"
          + " otherwise a line at every 10%% of the steps; --quiet turns it off.",
      ""
    })
final class SampleCommand implements Callable<Integer> {
  enum Oracle {
    GAUSSIAN,
    POINTS
  }

  enum Algorithm {
    DDIM,
    DDPM
  }

  enum Clip {
    NONE,
    CLIP,
    DYNAMIC
  }

  /** The fixed variance choices: the oracles predict no variance. */
  enum Variance {
    FIXED_SMALL,
    FIXED_LARGE
  }

  /** Every image is drawn this many times larger in grid.png. */
  static final int GRID_SCALE = 4;

  /** The stream of PortableNoise(seed, ·) that x_T is drawn from. */
  static final long START_STREAM = 0;

  /** The stream of PortableNoise(seed, ·) that the steps draw their noise from. */
  static final long STEP_STREAM = 1;

  private static final String ETA = "--eta";
  private static final String FINAL_ALPHA_BAR = "--final-alpha-bar";
  private static final String PREVIOUS_TIMESTEP = "--previous-timestep";
  private static final String RECOMPUTE_EPS = "--recompute-eps";
  private static final String VARIANCE = "--variance";
  private static final String LEADING_OFFSET = "--leading-offset";
  private static final String DYNAMIC_PERCENTILE = "--dynamic-percentile";
  private static final String DYNAMIC_MAX_VALUE = "--dynamic-max-value";

  @Spec private CommandSpec spec;

  @Option(
      names = "--oracle",
      required = true,
      paramLabel = "ORACLE",
      description = "points (the five tiny images) or gaussian (their per-pixel Gaussian).")
  private Oracle oracle;

  @Option(
      names = "--sampler",
      required = true,
      paramLabel = "SAMPLER",
      description = "ddim (Song et al. 2021) or ddpm (Ho et al. 2020, Algorithm 2; respaced as"
          + " improved-diffusion when N < T).")
  private Algorithm sampler;

  @Option(
      names = "--steps",
      required = true,
      paramLabel = "N",
      description = "The number of sampling steps N, in 1..T.")
  private int steps;

  @Option(
      names = ETA,
      paramLabel = "E",
      description = "ddim only: η in [0, 1] (default 0, deterministic; 1 has DDPM's posterior"
          + " variance).")
  private Double eta;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "S",
      converter = Word64.class,
      description = "The portable noise seed, an unsigned 64-bit integer (default 0).")
  private long seed;

  @Option(
      names = "--batch",
      defaultValue = "16",
      paramLabel = "B",
      description = "The number of samples B (default 16).")
  private int batch;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The directory to write to (created if missing; files there are replaced).")
  private Path out;

  @Option(
      names = "--schedule",
      defaultValue = "linear",
      paramLabel = "SCHEDULE",
      description = "linear (default), scaled-linear, cosine or sigmoid, with the defaults of"
          + " 'tck schedule'.")
  private ScheduleCommand.Kind schedule;

  @Option(
      names = "--diffusion-steps",
      defaultValue = "1000",
      paramLabel = "T",
      description = "The number of diffusion steps T of the schedule (default 1000).")
  private int diffusionSteps;

  @Option(
      names = "--spacing",
      defaultValue = "linspace",
      paramLabel = "SPACING",
      description = "How the N timesteps are chosen out of T (spec/CONVENTIONS.md §10): linspace"
          + " (default: for every N it starts at t = T, where x_T ~ N(0, I) matches q(x_T), and"
          + " ends at t = 1, the smallest last step; N = T takes every timestep), leading,"
          + " trailing, or sections (improved-diffusion's one-section string \"N\").")
  private Spacing spacing;

  @Option(
      names = LEADING_OFFSET,
      paramLabel = "K",
      description = "leading only: the offset (diffusers' steps_offset; default 0).")
  private Integer leadingOffset;

  @Option(
      names = "--clip",
      defaultValue = "none",
      paramLabel = "CLIP",
      description = "What happens to the predicted x_0: none (default), clip (to [-1, 1]) or"
          + " dynamic (Saharia et al. 2022's dynamic thresholding).")
  private Clip clip;

  @Option(
      names = DYNAMIC_PERCENTILE,
      paramLabel = "P",
      description = "dynamic only: the percentile p of |x_0| as a fraction in [0, 1]"
          + " (default 0.995).")
  private Double dynamicPercentile;

  @Option(
      names = DYNAMIC_MAX_VALUE,
      paramLabel = "M",
      description = "dynamic only: the cap on the threshold, at least 1 (default Infinity, the"
          + " paper's; diffusers' sample_max_value).")
  private Double dynamicMaxValue;

  @Option(
      names = FINAL_ALPHA_BAR,
      paramLabel = "A",
      description = "ddim only: the ᾱ the last step lands on: one (default, ᾱ_0 = 1) or"
          + " first-selected (ᾱ_1, diffusers' set_alpha_to_one=False).")
  private FinalAlphaBar finalAlphaBar;

  @Option(
      names = PREVIOUS_TIMESTEP,
      paramLabel = "P",
      description = "ddim only: where a step goes: next-selected (default, the next timestep"
          + " of the list) or fixed-stride (t − ⌊T/N⌋, diffusers' DDIMScheduler).")
  private PreviousTimestep previousTimestep;

  @Option(
      names = RECOMPUTE_EPS,
      description = "ddim only: recompute ε from the clipped x_0 (GLIDE, improved-diffusion;"
          + " diffusers' use_clipped_model_output=True) instead of the model's.")
  private boolean recomputeEps;

  @Option(
      names = VARIANCE,
      paramLabel = "V",
      description = "ddpm only: fixed-small (default, σ² = β̃) or fixed-large (σ² = β).")
  private Variance variance;

  @Option(names = "--quiet", description = "No progress on stderr.")
  private boolean quiet;

  @Override
  public Integer call() throws IOException {
    checkOptions();
    NoiseSchedule noiseSchedule = noiseSchedule();
    Timesteps timesteps = Timesteps.select(spacing, diffusionSteps, steps, offset());
    ExactOracle model = model(noiseSchedule);
    Sampler chosen = sampler(noiseSchedule, timesteps);
    Files.createDirectories(out);
    long[] shape = shape(model);
    INDArray xT = new PortableNoise(seed, START_STREAM).normal(shape);
    List<Integer> noisySteps = new ArrayList<>();
    StepNoise portable = StepNoise.from(new PortableNoise(seed, STEP_STREAM));
    StepNoise recorded = (k, t, s) -> {
      noisySteps.add(k);
      return portable.noise(k, t, s);
    };
    Progress progress = new Progress(spec.commandLine().getErr(), timesteps.size(), quiet);
    INDArray samples = chosen.sample(model, xT, recorded, false, progress).sample();
    progress.finish();

    Npy.Array array = new Npy.Array(shape, Nd4j.toFlattened('c', samples).toDoubleVector());
    List<Path> written = new ArrayList<>();
    write(written, "samples.npy", file -> Npy.write(file, array));
    if (PngGrid.drawable(shape)) {
      write(written, "grid.png", file -> PngGrid.write(file, array, GRID_SCALE));
    }
    ObjectNode run = run(model, timesteps, shape, noisySteps, written);
    write(written, "run.json",
        file -> Json.write(new OutputStreamWriter(file, StandardCharsets.UTF_8), run));
    PrintWriter stdout = spec.commandLine().getOut();
    written.forEach(stdout::println);
    stdout.flush();
    return ExitCode.OK;
  }

  /** Options that do not apply to the chosen sampler, spacing or clipping are usage errors. */
  private void checkOptions() {
    onlyWith(sampler == Algorithm.DDIM, "the ddim sampler",
        ETA, FINAL_ALPHA_BAR, PREVIOUS_TIMESTEP, RECOMPUTE_EPS);
    onlyWith(sampler == Algorithm.DDPM, "the ddpm sampler", VARIANCE);
    onlyWith(spacing == Spacing.LEADING, "--spacing leading", LEADING_OFFSET);
    onlyWith(clip == Clip.DYNAMIC, "--clip dynamic", DYNAMIC_PERCENTILE, DYNAMIC_MAX_VALUE);
    if (diffusionSteps < 1) {
      throw usage("--diffusion-steps must be at least 1, got " + diffusionSteps);
    }
    if (steps < 1 || steps > diffusionSteps) {
      throw usage("--steps must be in 1.." + diffusionSteps + " (T), got " + steps);
    }
    if (batch < 1) {
      throw usage("--batch must be at least 1, got " + batch);
    }
  }

  private void onlyWith(boolean applies, String what, String... options) {
    for (String option : options) {
      if (!applies && spec.commandLine().getParseResult().hasMatchedOption(option)) {
        throw usage(option + " applies to " + what + " only");
      }
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private NoiseSchedule noiseSchedule() {
    return schedule.withDefaults(diffusionSteps);
  }

  private int offset() {
    return leadingOffset == null ? 0 : leadingOffset;
  }

  private ExactOracle model(NoiseSchedule noiseSchedule) {
    return switch (oracle) {
      case POINTS -> FiniteData.tinyImages(noiseSchedule);
      case GAUSSIAN -> {
        double[][] moments = moments(TinyImage.dataSet());
        long[] one = {1, TinyImage.SIZE, TinyImage.SIZE};
        yield new GaussianData(noiseSchedule, Nd4j.create(moments[0], one, 'c'),
            Nd4j.create(moments[1], one, 'c'));
      }
    };
  }

  /**
   * The per-coordinate mean and population standard deviation √(Σ_k (y_k − μ)² / K) of the K
   * points [K, …], each over the points.
   */
  static double[][] moments(INDArray points) {
    int k = (int) points.size(0);
    double[] y = Nd4j.toFlattened('c', points).toDoubleVector();
    int d = y.length / k;
    double[] mu = new double[d];
    double[] s = new double[d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < k; j++) {
        mu[i] += y[j * d + i];
      }
      mu[i] /= k;
      for (int j = 0; j < k; j++) {
        double dev = y[j * d + i] - mu[i];
        s[i] += dev * dev;
      }
      s[i] = Math.sqrt(s[i] / k);
    }
    return new double[][] {mu, s};
  }

  private long[] shape(ExactOracle model) {
    long[] one = model.sampleShape();
    long[] full = new long[one.length + 1];
    full[0] = batch;
    System.arraycopy(one, 0, full, 1, one.length);
    return full;
  }

  private X0Clipping clipping() {
    return switch (clip) {
      case NONE -> X0Clipping.NONE;
      case CLIP -> X0Clipping.CLIP;
      case DYNAMIC -> X0Clipping.dynamicThresholding(percentile(), maxValue());
    };
  }

  private double percentile() {
    return dynamicPercentile == null ? 0.995 : dynamicPercentile;
  }

  private double maxValue() {
    return dynamicMaxValue == null ? Double.POSITIVE_INFINITY : dynamicMaxValue;
  }

  private double etaValue() {
    return eta == null ? 0.0 : eta;
  }

  private FinalAlphaBar finalAlphaBarValue() {
    return finalAlphaBar == null ? FinalAlphaBar.ONE : finalAlphaBar;
  }

  private PreviousTimestep previousValue() {
    return sampler == Algorithm.DDPM || previousTimestep == null
        ? PreviousTimestep.NEXT_SELECTED
        : previousTimestep;
  }

  private DdimEpsilon ddimEpsilon() {
    return recomputeEps ? DdimEpsilon.RECOMPUTED_FROM_CLIPPED_X0 : DdimEpsilon.MODEL;
  }

  private VarianceChoice varianceChoice() {
    return variance == Variance.FIXED_LARGE ? VarianceChoice.FIXED_LARGE
        : VarianceChoice.FIXED_SMALL;
  }

  private Sampler sampler(NoiseSchedule noiseSchedule, Timesteps timesteps) {
    return switch (sampler) {
      case DDIM -> new DdimSampler(
          new DdimStep(noiseSchedule, etaValue(), ddimEpsilon(), finalAlphaBarValue(),
              clipping()),
          timesteps, previousValue());
      case DDPM -> new DdpmSampler(new DdpmStep(noiseSchedule, timesteps, varianceChoice(),
          T1LogVariance.CLIP_TO_BETA_TILDE_2, clipping()));
    };
  }

  /** Something written to a file. */
  @FunctionalInterface
  private interface Content {
    void writeTo(OutputStream file) throws IOException;
  }

  /** Writes DIR/name, replacing it, and notes it in {@code written}. */
  private void write(List<Path> written, String name, Content content) throws IOException {
    Path file = out.resolve(name);
    WholeFile.write(file, content::writeTo);
    written.add(file);
  }

  /** run.json: everything needed to repeat the run, and what it used. */
  private ObjectNode run(ExactOracle model, Timesteps timesteps, long[] shape,
      List<Integer> noisySteps, List<Path> written) throws IOException {
    ObjectNode run = Json.object();
    run.put("command", "sample");
    run.put("oracle", KebabCase.of(oracle));
    run.set("data", data(model));
    run.put("sampler", KebabCase.of(sampler));
    run.put("steps", steps);
    run.put("batch", batch);
    ObjectNode scheduleNode = run.putObject("schedule");
    scheduleNode.put("name", KebabCase.of(schedule));
    scheduleNode.put("T", diffusionSteps);
    run.put("spacing", KebabCase.of(spacing));
    if (spacing == Spacing.LEADING) {
      run.put("leading_offset", offset());
    }
    run.put("clip", KebabCase.of(clip));
    if (clip == Clip.DYNAMIC) {
      run.put("dynamic_percentile", percentile());
      run.put("dynamic_max_value", maxValue());
    }
    if (sampler == Algorithm.DDIM) {
      run.put("eta", etaValue());
      run.put("final_alpha_bar", KebabCase.of(finalAlphaBarValue()));
      run.put("previous_timestep", KebabCase.of(previousValue()));
      run.put("ddim_epsilon", KebabCase.of(ddimEpsilon()));
    } else {
      run.put("variance", KebabCase.of(variance == null ? Variance.FIXED_SMALL : variance));
    }
    ArrayNode from = run.putArray("timesteps");
    ArrayNode to = run.putArray("targets");
    for (int k = 0; k < timesteps.size(); k++) {
      from.add(timesteps.get(k));
      to.add(timesteps.previous(k, previousValue()));
    }
    ObjectNode noise = run.putObject("noise");
    noise.put("generator", "portable noise (spec/NOISE.md)");
    noise.put("seed", new BigInteger(Long.toUnsignedString(seed)));
    ObjectNode start = noise.putObject("x_T");
    start.put("stream", START_STREAM);
    Arrays.stream(shape).forEach(start.putArray("shape")::add);
    ObjectNode perStep = noise.putObject("steps");
    perStep.put("stream", STEP_STREAM);
    Arrays.stream(shape).forEach(perStep.putArray("shape")::add);
    noisySteps.forEach(perStep.putArray("drawn_on_steps")::add);
    ArrayNode files = run.putArray("files");
    written.forEach(p -> files.add(p.getFileName().toString()));
    files.add("run.json");
    ArrayNode versions = run.putArray("versions");
    for (String line : new VersionProvider().getVersion()) {
      versions.add(line);
    }
    return run;
  }

  private ObjectNode data(ExactOracle model) {
    ObjectNode data = Json.object();
    Arrays.stream(model.sampleShape()).forEach(data.putArray("shape")::add);
    if (oracle == Oracle.POINTS) {
      ArrayNode points = data.putArray("points");
      for (TinyImage image : TinyImage.values()) {
        points.add(image.name().toLowerCase(Locale.ROOT));
      }
    } else {
      double[][] moments = moments(TinyImage.dataSet());
      data.set("mu", Json.array(moments[0]));
      data.set("s", Json.array(moments[1]));
    }
    return data;
  }

  /**
   * Progress on stderr: with a console, one line rewritten in place ({@code \r}) after every
   * step; otherwise a line each time another tenth of the steps is done (every step when N &lt;
   * 10).
   */
  private static final class Progress implements StepListener {
    private final PrintWriter err;
    private final int total;
    private final boolean quiet;
    private final boolean inPlace = System.console() != null;
    private int width;

    Progress(PrintWriter err, int total, boolean quiet) {
      this.err = err;
      this.total = total;
      this.quiet = quiet;
    }

    @Override
    public void afterStep(int stepIndex, int t) {
      int done = stepIndex + 1;
      if (quiet || (!inPlace && done * 10 / total == stepIndex * 10 / total)) {
        return;
      }
      String line = "tck sample: step " + done + "/" + total + " (t = " + t + ")";
      if (inPlace) {
        // Spaces cover the end of a longer line before: "(t = 10)" after "(t = 100)".
        err.print("\r" + line + " ".repeat(Math.max(width - line.length(), 0)));
        width = Math.max(width, line.length());
      } else {
        err.println(line);
      }
      err.flush();
    }

    void finish() {
      if (inPlace && !quiet) {
        err.println();
        err.flush();
      }
    }
  }
}
