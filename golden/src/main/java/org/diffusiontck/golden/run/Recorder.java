package org.diffusiontck.golden.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import org.diffusiontck.checks.io.WholeFile;
import org.diffusiontck.golden.model.Environment;
import org.diffusiontck.golden.record.Evaluation;
import org.diffusiontck.golden.record.Manifest;
import org.diffusiontck.golden.record.Pixels;
import org.diffusiontck.golden.record.ModelRecord;
import org.diffusiontck.golden.record.RecordFiles;
import org.diffusiontck.golden.record.RecordPath;
import org.diffusiontck.golden.record.SamplerSpec;
import org.diffusiontck.golden.record.ScheduleRecord;
import org.diffusiontck.golden.record.Sha256;
import org.diffusiontck.golden.record.SoundBounds;
import org.diffusiontck.golden.record.Tolerance;
import org.diffusiontck.golden.report.Images;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a golden record: the samples of each sampler ({@code .npy} and a PNG grid), the
 * evaluation batch, the loss curve, the bound, and the manifest with the SHA-256 of every file.
 */
public final class Recorder {
  /** The evaluation batch's file in a record. */
  public static final String EVALUATION_FILE = "evaluation/x0.npy";
  /** The loss curve's file in a record or a candidate. */
  public static final String LOSS_FILE = "evaluation/loss.npy";
  /** The bound's file in a record or a candidate. */
  public static final String METRICS_FILE = "evaluation/metrics.json";

  private Recorder() {}

  /** What a record states besides the run's results. */
  public record Header(String name, ModelRecord model, ScheduleRecord schedule, double[] dataRange,
      Environment environment, Map<String, Tolerance> tolerances, SoundBounds sound) {}

  /** Writes the record of {@code run} into {@code dir} and returns its manifest. */
  public static Manifest write(Path dir, Header header, Settings settings, Outcome run)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, String> files = new TreeMap<>();
    for (SamplerSpec spec : settings.samplers()) {
      INDArray samples = run.samples().get(spec.name());
      RecordFiles.writeNpy(RecordPath.inside(dir, spec.file(), "sampler " + spec.name()
          + "'s file"), samples);
      byte[] png = Images.png(Images.grid(
          Pixels.rows(samples, settings.seeds().length), settings.sampleShape(),
          header.dataRange()[0], header.dataRange()[1], 8, settings.seeds().length));
      WholeFile.write(RecordPath.inside(dir, spec.image(), "sampler " + spec.name()
          + "'s image"), out -> out.write(png));
      files.put(spec.file(), Sha256.of(dir.resolve(spec.file())));
      files.put(spec.image(), Sha256.of(dir.resolve(spec.image())));
    }
    RecordFiles.writeNpy(dir.resolve(EVALUATION_FILE), settings.evaluationBatch());
    writeEvaluation(dir, run);
    for (String f : new String[] {EVALUATION_FILE, LOSS_FILE, METRICS_FILE}) {
      files.put(f, Sha256.of(dir.resolve(f)));
    }
    Manifest manifest = new Manifest(Manifest.FORMAT, header.name(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), header.model(),
        header.schedule(), settings.sampleShape(), settings.seeds(), Manifest.NOISE,
        GoldenRun.CONVENTIONS, settings.samplers(),
        new Evaluation(EVALUATION_FILE, settings.evaluationSeed(), LOSS_FILE, METRICS_FILE),
        header.dataRange(), header.environment(), header.tolerances(), header.sound(), files);
    RecordFiles.writeJson(dir.resolve(Manifest.FILE), manifest);
    return manifest;
  }

  /** Writes the loss curve and the bound of {@code run} (a record's or a candidate's). */
  static void writeEvaluation(Path dir, Outcome run) throws IOException {
    RecordFiles.writeNpy(dir.resolve(LOSS_FILE), org.nd4j.linalg.factory.Nd4j.createFromArray(
        run.loss()));
    RecordFiles.writeJson(dir.resolve(METRICS_FILE), run.metrics());
  }
}
