package org.diffusiontck.checks.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.diffusiontck.checks.io.Json;
import org.diffusiontck.reference.oracle.FiniteData;
import org.diffusiontck.reference.oracle.TinyImage;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tck study points}: the steps study on the finite-set oracle, with samples. */
@Command(
    name = "points",
    sortOptions = false,
    description = {
      "The steps study on the finite-set oracle (the five 8×8 tiny images, equally likely; the"
          + " exact ε*), where the output law is not Gaussian: measured with B samples per"
          + " sampler from the same seeds (spec/derivations/sampler-law.md §7).",
      "Per sampler and N: the fraction of samples within RMS distance r of a training image"
          + " (with its 95%% Wilson interval), the mean RMS distance to the nearest image, and the"
          + " diagonal Fréchet distance per pixel to DDPM over all T steps on the same seeds (with"
          + " its bootstrap standard error); the p-value of Pearson's χ² test of how often each"
          + " image is the nearest against the data's equal probabilities. The row"
          + " ddpm:small-replica is that DDPM again with other step noise: the Monte Carlo"
          + " floor of the distance.",
      "Writes DIR/points.csv and DIR/points.json. Progress on stderr; --quiet turns it off.",
      ""
    })
final class PointsStudyCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private SampledStudyOptions options;

  @Mixin private StudySchedule schedule;

  @Option(
      names = "--radius",
      defaultValue = "0.05",
      paramLabel = "R",
      description = "The RMS distance r per pixel within which a sample counts as landing on a"
          + " training image (default 0.05; the images' pixels are ±1 apart by 2).")
  private double radius;

  @Override
  public Integer call() throws IOException {
    if (!(radius > 0 && Double.isFinite(radius))) {
      throw new ParameterException(spec.commandLine(),
          "--radius must be a positive number, got " + radius);
    }
    NoiseSchedule noiseSchedule = schedule.schedule(spec);
    List<StudySampler> samplers = options.samplers(spec);
    List<Integer> steps = options.steps(spec, noiseSchedule.T());
    FiniteData oracle = FiniteData.tinyImages(noiseSchedule);
    double[][] training = Nd4j.toFlattened('c', TinyImage.dataSet())
        .reshape(TinyImage.values().length, TinyImage.SIZE * TinyImage.SIZE).toDoubleMatrix();
    List<SampledStudy.Row> rows = SampledStudy.rows(oracle, noiseSchedule,
        oracle.sampleShape(), options.spacing(), samplers, steps, options.batch(),
        options.seed(), training, radius, options.progress(spec));
    ObjectNode setting = Json.object();
    setting.put("oracle", "points: the five tiny images");
    ObjectNode scheduleNode = setting.putObject("schedule");
    scheduleNode.put("name", KebabCase.of(schedule.kind));
    scheduleNode.put("T", noiseSchedule.T());
    setting.put("radius", radius);
    options.write(spec, "points", setting, rows);
    return ExitCode.OK;
  }
}
