package org.diffusiontck.checks.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.diffusiontck.checks.cli.StepsStudy.Row;
import org.diffusiontck.checks.io.Json;
import org.diffusiontck.reference.oracle.GaussianData;
import org.diffusiontck.reference.oracle.LawDistance;
import org.diffusiontck.reference.oracle.TinyImage;
import org.diffusiontck.reference.sampling.Spacing;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tck study steps}: how far the output of DDIM (any η) and strided DDPM is from the data,
 * exactly, as a function of the number of steps N, on the Gaussian oracle
 * ({@code spec/derivations/sampler-law.md}).
 */
@Command(
    name = "steps",
    sortOptions = false,
    description = {
      "The exact distance between a sampler's output and the data against the number of steps,"
          + " on the Gaussian oracle (no network, no sampling noise: every step is affine in"
          + " x_t, so the output is Gaussian with a mean and variance propagated step by step;"
          + " spec/derivations/sampler-law.md).",
      "Data: N(μ, diag(s²)) with the per-pixel mean μ and population standard deviation s of"
          + " the five 8×8 tiny images (D = 64; three pixels have s = 0), or s set to"
          + " --data-std for every pixel. Every sampler starts from x ~ N(0, I) at its first"
          + " timestep, with no clipping; DDIM lands on ᾱ_0 = 1 and steps to the next selected"
          + " timestep; DDPM is strided as improved-diffusion's respacing.",
      "Writes DIR/steps.csv and DIR/steps.json (one row per spacing, sampler and N: network"
          + " evaluations, KL(sample‖data) and KL(data‖sample) in nats per dimension, W2 per"
          + " dimension, lower and upper bounds on the total variation of the whole image),"
          + " DIR/steps.png (the distances against N, log-log, with the all-T-steps DDPM level)"
          + " and DIR/steps.html (the picture and the table). The first rows are references:"
          + " start-mismatch (N(0, I) against q(x_T)), exact-flow (the probability flow from"
          + " N(0, I) at T, DDIM's limit at η = 0) and ddpm:small over all T steps.",
      "Progress on stderr, one line per spacing and sampler; --quiet turns it off.",
      ""
    })
final class StepsStudyCommand implements Callable<Integer> {
  static final String CSV = "steps.csv";
  static final String JSON = "steps.json";
  static final String PNG = "steps.png";
  static final String HTML = "steps.html";

  @Spec private CommandSpec spec;

  @Mixin private StudySchedule schedule;

  @Option(
      names = "--samplers",
      defaultValue = "ddim:0,ddim:0.5,ddim:1,ddpm:small,ddpm:large",
      split = ",",
      paramLabel = "SAMPLER",
      description = "ddim:η (η in [0, 1]), ddpm:small (σ² = β̃) or ddpm:large (σ² = β),"
          + " comma-separated (default ddim:0,ddim:0.5,ddim:1,ddpm:small,ddpm:large).")
  private List<String> samplers;

  @Option(
      names = "--steps",
      defaultValue = "5,10,20,50,100,200,500,1000",
      split = ",",
      paramLabel = "N",
      description = "The numbers of steps N, each in 1..T (default 5,10,20,50,100,200,500,1000).")
  private List<Integer> steps;

  @Option(
      names = "--spacing",
      defaultValue = "linspace,leading,trailing",
      split = ",",
      paramLabel = "SPACING",
      description = "How the N timesteps are chosen (spec/CONVENTIONS.md): linspace, leading"
          + " (offset 0: never visits t = T), trailing, sections; comma-separated (default"
          + " linspace,leading,trailing).")
  private List<Spacing> spacings;

  @Option(
      names = "--data-std",
      paramLabel = "S",
      description = "Every pixel's data standard deviation s, > 0 (default: the tiny images'"
          + " per-pixel s).")
  private Double dataStd;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The directory to write to (created if missing; files there are replaced).")
  private Path out;

  @Option(names = "--quiet", description = "No progress on stderr.")
  private boolean quiet;

  @Override
  public Integer call() throws IOException {
    List<StudySampler> choices = SampledStudyOptions.parse(samplers, spec);
    NoiseSchedule noiseSchedule = schedule.schedule(spec);
    SampledStudyOptions.check(steps, noiseSchedule.T(), spec);
    if (dataStd != null && !(dataStd > 0 && Double.isFinite(dataStd))) {
      throw usage("--data-std must be a positive number, got " + dataStd);
    }
    GaussianData data = data(noiseSchedule);
    PrintWriter err = spec.commandLine().getErr();
    List<Row> rows = StepsStudy.rows(data, spacings, choices, steps, line -> {
      if (!quiet) {
        err.println(line);
        err.flush();
      }
    });
    Files.createDirectories(out);
    List<String> spacingNames = spacings.stream().map(KebabCase::of).toList();
    List<String> labels = choices.stream().map(StudySampler::label).toList();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(StepsPlot.render(rows, spacingNames, labels, steps), "png", png);
    List<Path> written = new ArrayList<>();
    written.add(write(CSV, StepsStudy.csv(rows).getBytes(StandardCharsets.UTF_8)));
    written.add(write(JSON, json(rows).getBytes(StandardCharsets.UTF_8)));
    written.add(write(PNG, png.toByteArray()));
    written.add(write(HTML, StepsPage.html(setting(), rows, png.toByteArray())
        .getBytes(StandardCharsets.UTF_8)));
    PrintWriter stdout = spec.commandLine().getOut();
    written.forEach(stdout::println);
    stdout.flush();
    return ExitCode.OK;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** The data law: the tiny images' per-pixel μ and s, or s = --data-std everywhere. */
  private GaussianData data(NoiseSchedule noiseSchedule) {
    double[][] moments = SampleCommand.moments(TinyImage.dataSet());
    if (dataStd != null) {
      Arrays.fill(moments[1], dataStd);
    }
    long[] one = {1, TinyImage.SIZE, TinyImage.SIZE};
    return new GaussianData(noiseSchedule, Nd4j.create(moments[0], one, 'c'),
        Nd4j.create(moments[1], one, 'c'));
  }

  /** One line stating the setting, for the page. */
  private String setting() {
    return KebabCase.of(schedule.kind) + " schedule, T = " + schedule.diffusionSteps + "; data: "
        + (dataStd == null ? "the tiny images' per-pixel Gaussian" : "s = " + dataStd
        + " in every pixel, μ of the tiny images") + "; samplers from x ~ N(0, I), no clipping";
  }

  private Path write(String name, byte[] content) throws IOException {
    Path file = out.resolve(name);
    Files.write(file, content);
    return file;
  }

  private String json(List<Row> rows) throws IOException {
    ObjectNode root = Json.object();
    root.put("command", "study steps");
    ObjectNode scheduleNode = root.putObject("schedule");
    scheduleNode.put("name", KebabCase.of(schedule.kind));
    scheduleNode.put("T", schedule.diffusionSteps);
    ObjectNode dataNode = root.putObject("data");
    dataNode.put("oracle", "gaussian");
    if (dataStd == null) {
      dataNode.put("s", "tiny images");
    } else {
      dataNode.put("s", dataStd);
    }
    ArrayNode table = root.putArray("rows");
    for (Row row : rows) {
      ObjectNode node = table.addObject();
      LawDistance d = row.distance();
      node.put("spacing", row.spacing());
      node.put("sampler", row.sampler());
      node.put("steps", row.steps());
      node.put("evaluations", row.evaluations());
      node.set("kl_sample_data", Json.array(d.klPQ()).get(0));
      node.set("kl_data_sample", Json.array(d.klQP()).get(0));
      node.set("w2", Json.array(d.w2()).get(0));
      node.set("tv_lower", Json.array(d.tvLower()).get(0));
      node.set("tv_upper", Json.array(d.tvUpper()).get(0));
    }
    ArrayNode versions = root.putArray("versions");
    for (String line : new VersionProvider().getVersion()) {
      versions.add(line);
    }
    StringWriter text = new StringWriter();
    Json.write(text, root);
    return text.toString();
  }
}
