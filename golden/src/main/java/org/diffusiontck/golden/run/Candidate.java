package org.diffusiontck.golden.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusiontck.golden.model.Environment;
import org.diffusiontck.golden.record.Manifest;
import org.diffusiontck.golden.record.Metrics;
import org.diffusiontck.golden.record.RecordFiles;
import org.diffusiontck.golden.record.RecordPath;
import org.diffusiontck.golden.record.SamplerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A candidate folder: someone's pipeline sampled from the same portable noise as a golden record.
 * It holds {@value #FILE} (the environment, and a description) and, at the record's paths, the
 * samples of every sampler ({@code samples/<sampler>.npy}, float64 [S, C, H, W], seeds in the
 * record's order); optionally the loss curve ({@value Recorder#LOSS_FILE}) and the bound
 * ({@value Recorder#METRICS_FILE}).
 *
 * @param environment where the candidate ran; its key selects the record's tolerances (may be
 *     null when the folder does not say, then the command line must)
 * @param description free text
 * @param samples the samples by sampler name
 * @param loss the loss curve, or null
 * @param metrics the bound, or null
 */
public record Candidate(Environment environment, String description,
    Map<String, INDArray> samples, double[] loss, Metrics metrics) {
  /** The candidate's description file. */
  public static final String FILE = "candidate.json";

  /** The contents of {@value #FILE}. */
  public record Info(Environment environment, String description) {}

  /**
   * Reads the candidate in {@code dir} for the record {@code manifest}.
   *
   * @throws IllegalArgumentException naming the file, if a sampler's samples are missing or a
   *     file is unreadable
   */
  public static Candidate read(Path dir, Manifest manifest) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("candidate " + dir + " is not a directory");
    }
    Info info = Files.isRegularFile(dir.resolve(FILE))
        ? RecordFiles.readJson(dir.resolve(FILE), Info.class) : new Info(null, "");
    Map<String, INDArray> samples = new LinkedHashMap<>();
    for (SamplerSpec spec : manifest.samplers()) {
      Path file = RecordPath.inside(dir, spec.file(), "sampler " + spec.name() + "'s file");
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("candidate file " + spec.file() + " is missing from "
            + dir + " (the " + spec.name() + " samples)");
      }
      samples.put(spec.name(), RecordFiles.readNpy(file));
    }
    Path loss = dir.resolve(Recorder.LOSS_FILE);
    Path metrics = dir.resolve(Recorder.METRICS_FILE);
    return new Candidate(info.environment(), info.description(), samples,
        Files.isRegularFile(loss) ? RecordFiles.readNpy(loss).toDoubleVector() : null,
        Files.isRegularFile(metrics) ? RecordFiles.readJson(metrics, Metrics.class) : null);
  }

  /** Writes a golden run as a candidate folder for the record {@code manifest}. */
  public static void write(Path dir, Manifest manifest, Environment environment,
      String description, Outcome run) throws IOException {
    for (SamplerSpec spec : manifest.samplers()) {
      RecordFiles.writeNpy(RecordPath.inside(dir, spec.file(), "sampler " + spec.name()
          + "'s file"), run.samples().get(spec.name()));
    }
    Recorder.writeEvaluation(dir, run);
    RecordFiles.writeJson(dir.resolve(FILE), new Info(environment, description));
  }
}
