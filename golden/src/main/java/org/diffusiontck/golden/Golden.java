package org.diffusiontck.golden;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.diffusiontck.checks.impl.LinearEndpoints;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.reference.ReferenceSchedules;
import org.diffusiontck.golden.check.Check;
import org.diffusiontck.golden.check.Comparison;
import org.diffusiontck.golden.check.SoundChecks;
import org.diffusiontck.golden.model.Environment;
import org.diffusiontck.golden.model.LoadedModel;
import org.diffusiontck.golden.model.ModelInput;
import org.diffusiontck.golden.model.ProcessModel;
import org.diffusiontck.golden.model.RuntimeOptions;
import org.diffusiontck.golden.record.Defaults;
import org.diffusiontck.golden.record.GoldenRecord;
import org.diffusiontck.golden.record.Manifest;
import org.diffusiontck.golden.record.ModelRecord;
import org.diffusiontck.golden.record.SamplerSpec;
import org.diffusiontck.golden.record.ScheduleRecord;
import org.diffusiontck.golden.record.Tolerance;
import org.diffusiontck.golden.report.GoldenReports;
import org.diffusiontck.golden.report.Verdict;
import org.diffusiontck.golden.run.Candidate;
import org.diffusiontck.golden.run.GoldenRun;
import org.diffusiontck.golden.run.Outcome;
import org.diffusiontck.golden.run.Recorder;
import org.diffusiontck.golden.run.Settings;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.diffusiontck.reference.sampling.Timesteps;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The three golden commands: record, verify and compare. */
public final class Golden {
  /** The subfolder of a verification's report folder that holds the recomputed numbers. */
  public static final String RECOMPUTED = "recomputed";

  private Golden() {}

  /**
   * What {@link #record} makes.
   *
   * @param name the record's name
   * @param model the model's name (ONNX path or {@code oracle:…})
   * @param input how an ONNX model is called
   * @param runtime how ONNX Runtime runs it
   * @param schedule the noise schedule
   * @param seeds one sample per seed
   * @param ddimSteps the step counts of the DDIM samplers at σ = 0 (LINSPACE spacing)
   * @param evaluationBatch the evaluation batch, or null for an oracle's own
   * @param evaluationSeed the seed of the evaluation noise
   * @param dataRange the data's range, or null for [−1, 1] (an oracle's own for an oracle)
   */
  public record Request(String name, String model, ModelInput input, RuntimeOptions runtime,
      ScheduleSpec schedule, long[] seeds, int[] ddimSteps, INDArray evaluationBatch,
      long evaluationSeed, double[] dataRange) {}

  /**
   * A record made: its manifest, and the sound-model checks of the run it holds.
   *
   * @param millis the wall time
   * @param modelMillis the time spent in the model
   */
  public record Recorded(Manifest manifest, List<Check> sound, long millis, long modelMillis) {}

  /** Samples, evaluates and writes a golden record into {@code out}. */
  public static Recorded record(Request r, Path out) throws IOException {
    long started = System.nanoTime();
    NoiseSchedule schedule = ReferenceSchedules.of(r.schedule(), LinearEndpoints.FIXED);
    try (LoadedModel model = LoadedModel.open(r.model(), Path.of(""), schedule, r.input(),
        r.runtime())) {
      INDArray batch = r.evaluationBatch();
      if (batch == null) {
        if (!model.isOracle()) {
          throw new IllegalArgumentException("an ONNX or process model needs an evaluation batch"
              + " (--eval-data FILE.npy, [B, C, H, W] on the 8-bit grid in [-1, 1])");
        }
        batch = model.oracle().evaluationBatch(r.evaluationSeed());
      }
      double[] range = r.dataRange() != null ? r.dataRange()
          : model.isOracle() ? model.oracle().dataRange() : new double[] {-1, 1};
      long[] shape = Arrays.copyOfRange(batch.shape(), 1, batch.shape().length);
      List<SamplerSpec> samplers = new ArrayList<>();
      for (int n : r.ddimSteps()) {
        samplers.add(SamplerSpec.of(SamplerSpec.DDIM, 0,
            Timesteps.linspace(schedule.T(), n).values()));
      }
      samplers.add(SamplerSpec.of(SamplerSpec.DDPM, 1, Timesteps.all(schedule.T()).values()));
      Settings settings = new Settings(schedule, shape, r.seeds(), samplers, batch,
          r.evaluationSeed());
      Outcome run = GoldenRun.run(settings, model.predictor());
      String spec = model.isFile() ? relative(out, Path.of(r.model())) : r.model();
      Recorder.Header header = new Recorder.Header(r.name(),
          new ModelRecord(spec, model.sha256(), model.isFile() ? r.input() : null),
          ScheduleRecord.of(r.schedule()), range, model.environment(), Defaults.tolerances(),
          Defaults.sound());
      Manifest m = Recorder.write(out, header, settings, run);
      String key = model.toleranceKey(m.tolerances().keySet());
      return new Recorded(m, SoundChecks.of(m, run, key, m.tolerance(key)),
          (System.nanoTime() - started) / 1_000_000, run.modelMillis());
    }
  }

  /**
   * The model the record names, if it may be used: a command only when trusted. (A model file is
   * data, read wherever the record says: the shipped record's checkpoint lies beside it.)
   */
  private static String recordedModel(Path goldenDir, Manifest m, boolean trusted) {
    String spec = m.model().spec();
    if (spec != null && spec.startsWith(ProcessModel.PREFIX)) {
      if (!trusted) {
        throw new IllegalArgumentException("golden record " + goldenDir + " names the model '"
            + spec + "', a command; a record is data and its commands are not run: give --model,"
            + " or --trust-record-model to run it");
      }
    }
    return spec;
  }

  /**
   * Recomputes a record with {@code modelSpec} (null: the recorded model) and compares; writes
   * the reports and the recomputed numbers (as a candidate folder) into {@code reports}.
   *
   * @param input how to call an ONNX model, from the recorded settings (or the common export's
   *     when there are none)
   * @param environmentKey the tolerance key to use, or null for the model's own
   * @param trustRecordModel whether a command the record names as its model ({@code
   *     process:<command line>}) may be run when {@code modelSpec} is null; a record is data, so
   *     it is refused otherwise
   */
  public static Verdict verify(Path goldenDir, String modelSpec, UnaryOperator<ModelInput> input,
      RuntimeOptions runtime, String environmentKey, Path reports, boolean trustRecordModel)
      throws IOException {
    long started = System.nanoTime();
    GoldenRecord golden = GoldenRecord.open(goldenDir);
    Manifest m = golden.manifest();
    NoiseSchedule schedule = ReferenceSchedules.of(m.schedule().spec(), LinearEndpoints.FIXED);
    String spec = modelSpec != null ? modelSpec : recordedModel(goldenDir, m, trustRecordModel);
    Path base = modelSpec != null ? Path.of("") : goldenDir;
    ModelInput how = input.apply(
        m.model().input() != null ? m.model().input() : ModelInput.COMMON_EXPORT);
    List<String> notes = new ArrayList<>();
    try (LoadedModel model = LoadedModel.open(spec, base, schedule, how, runtime)) {
      if (model.sha256() != null && !model.sha256().equals(m.model().sha256())) {
        notes.add("The model file " + spec + " differs from the recorded one (SHA-256 "
            + model.sha256() + ", recorded " + m.model().sha256() + "): this checks it against"
            + " the record of the earlier one.");
      }
      String key = environmentKey != null ? environmentKey
          : model.toleranceKey(m.tolerances().keySet());
      Tolerance tol = m.tolerance(key);
      if (!key.equals(m.environment().key()) || !key.equals(model.environment().key())) {
        notes.add("Recorded in " + m.environment().key() + ", recomputed in "
            + model.environment().key() + ": held to the " + key + " tolerances.");
      }
      Settings settings = new Settings(schedule, m.sampleShape(), m.seeds(), m.samplers(),
          golden.evaluationBatch(), m.evaluation().noiseSeed());
      Outcome run = GoldenRun.run(settings, model.predictor());
      Candidate.write(reports.resolve(RECOMPUTED), m, model.environment(),
          "golden verify of " + spec, run);
      Map<String, INDArray> recorded = samples(golden);
      double[] recordedLoss = golden.loss().toDoubleVector();
      Comparison.Result c = Comparison.compare(m, recorded, recordedLoss, golden.metrics(),
          run.samples(), run.loss(), run.metrics(), key, tol);
      List<Check> checks = new ArrayList<>(c.checks());
      checks.addAll(SoundChecks.of(m, run, key, tol));
      Verdict v = new Verdict("verify", m.name(), spec, model.environment(), tol, m.dataRange(),
          checks, c.diffs(), recordedLoss, run.loss(), run.zeroLoss(), notes,
          (System.nanoTime() - started) / 1_000_000, run.modelMillis(), run.modelCalls());
      GoldenReports.writeAll(v, reports);
      return v;
    }
  }

  /**
   * Compares a candidate folder with a record under the tolerances of {@code environmentKey}
   * (null: the one the candidate's {@value Candidate#FILE} names); writes the reports.
   */
  public static Verdict compare(Path goldenDir, Path candidateDir, String environmentKey,
      Path reports) throws IOException {
    long started = System.nanoTime();
    GoldenRecord golden = GoldenRecord.open(goldenDir);
    Manifest m = golden.manifest();
    Candidate cand = Candidate.read(candidateDir, m);
    Environment env = cand.environment();
    String key = environmentKey != null ? environmentKey : env != null ? env.key() : null;
    if (key == null) {
      throw new IllegalArgumentException("candidate " + candidateDir + " names no environment"
          + " (its " + Candidate.FILE + " is missing or has none): give --environment, one of "
          + m.tolerances().keySet());
    }
    Tolerance tol = m.tolerance(key);
    double[] recordedLoss = golden.loss().toDoubleVector();
    Comparison.Result c = Comparison.compare(m, samples(golden), recordedLoss, golden.metrics(),
        cand.samples(), cand.loss(), cand.metrics(), key, tol);
    List<Check> checks = new ArrayList<>(c.checks());
    checks.addAll(SoundChecks.ofSamples(m, cand.samples()));
    List<String> notes = new ArrayList<>();
    if (cand.description() != null && !cand.description().isBlank()) {
      notes.add("Candidate: " + cand.description());
    }
    if (cand.loss() == null) {
      notes.add("The candidate has no loss curve (" + Recorder.LOSS_FILE + "): not compared.");
    }
    if (cand.metrics() == null) {
      notes.add("The candidate has no bound (" + Recorder.METRICS_FILE + "): not compared.");
    }
    Verdict v = new Verdict("compare", m.name(), candidateDir.toString(), env, tol,
        m.dataRange(), checks, c.diffs(), recordedLoss, cand.loss(), null, notes,
        (System.nanoTime() - started) / 1_000_000, 0, 0);
    GoldenReports.writeAll(v, reports);
    return v;
  }

  private static Map<String, INDArray> samples(GoldenRecord golden) throws IOException {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (SamplerSpec s : golden.manifest().samplers()) {
      out.put(s.name(), golden.samples(s));
    }
    return out;
  }

  /** {@code file} relative to the directory {@code dir}, with '/' separators. */
  private static String relative(Path dir, Path file) {
    Path rel = dir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
    return rel.toString().replace('\\', '/');
  }
}
