package org.diffusiontck.golden.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.diffusiontck.checks.cli.SampledStudy;
import org.diffusiontck.checks.cli.SampledStudyOptions;
import org.diffusiontck.checks.cli.StudySampler;
import org.diffusiontck.checks.io.Json;
import org.diffusiontck.golden.model.ModelInput;
import org.diffusiontck.golden.model.OnnxModel;
import org.diffusiontck.golden.model.RuntimeOptions;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.schedule.Schedules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tck study digits}: the steps study on the shipped digits checkpoint, with samples. */
@Command(
    name = "digits",
    sortOptions = false,
    description = {
      "The steps study on the shipped checkpoint (golden/checkpoints/digits-eps.onnx: 8×8"
          + " digits, ε-prediction, linear schedule, T = 1000), where the output law is unknown:"
          + " measured with B samples per sampler from the same seeds"
          + " (spec/derivations/sampler-law.md §7).",
      "Per sampler and N: the diagonal Fréchet distance per pixel to DDPM over all T steps on"
          + " the same seeds, with its bootstrap standard error; the row ddpm:small-replica is"
          + " that DDPM again with other step noise: the Monte Carlo floor of the distance.",
      "Writes DIR/digits.csv and DIR/digits.json. Progress on stderr; --quiet turns it off.",
      ""
    })
final class DigitsStudyCommand implements Callable<Integer> {
  /** The shipped checkpoint, relative to the repository's root. */
  static final String SHIPPED_MODEL = "golden/checkpoints/digits-eps.onnx";

  @Spec private CommandSpec spec;

  @Mixin private SampledStudyOptions options;

  @Option(
      names = "--model",
      paramLabel = "FILE",
      description = "An ONNX checkpoint of 8×8 one-channel images with the common export's"
          + " inputs (sample, timestep as a 0-based index, out_sample; ε), trained on the linear"
          + " schedule with T = 1000 (default: the shipped " + SHIPPED_MODEL + ").")
  private Path model;

  @Override
  public Integer call() throws IOException {
    List<StudySampler> samplers = options.samplers(spec);
    NoiseSchedule schedule = Schedules.linear(1000);
    List<Integer> steps = options.steps(spec, schedule.T());
    Path file = model != null ? model : shipped();
    List<SampledStudy.Row> rows;
    try (OnnxModel onnx = OnnxModel.open(file, ModelInput.COMMON_EXPORT,
        RuntimeOptions.DEFAULT)) {
      rows = SampledStudy.rows(onnx, schedule, new long[] {1, 8, 8}, options.spacing(),
          samplers, steps, options.batch(), options.seed(), null, 0, options.progress(spec));
    }
    ObjectNode setting = Json.object();
    setting.put("model", file.toString());
    ObjectNode scheduleNode = setting.putObject("schedule");
    scheduleNode.put("name", "linear");
    scheduleNode.put("T", schedule.T());
    options.write(spec, "digits", setting, rows);
    return 0;
  }

  /** The shipped checkpoint: under the launcher's tck.home, else the working directory. */
  private static Path shipped() {
    String home = System.getProperty(GoldenCommand.HOME_PROPERTY);
    return home != null ? Path.of(home, SHIPPED_MODEL) : Path.of(SHIPPED_MODEL);
  }
}
