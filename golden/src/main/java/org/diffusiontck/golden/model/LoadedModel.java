package org.diffusiontck.golden.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.diffusiontck.checks.child.ChildLimits;
import org.diffusiontck.golden.record.Sha256;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.diffusiontck.reference.schedule.NoiseSchedule;

/**
 * A model opened from its name: a path to an ONNX file, {@code oracle:<name>} ({@link Oracle}), or
 * {@code process:<command line>} ({@link ProcessModel}).
 *
 * @param spec the name it was opened by
 * @param predictor the model, timed
 * @param environment where it runs
 * @param sha256 the SHA-256 of the ONNX file; null for an oracle or a process
 * @param oracle the oracle, or null for a network
 * @param closer releases what the model holds (ONNX Runtime's session, the process)
 */
public record LoadedModel(
    String spec, TimedModel predictor, Environment environment, String sha256, Oracle oracle,
    Runnable closer) implements AutoCloseable {
  /**
   * Opens the model {@code spec}; a relative path is resolved against {@code base}; a process is
   * started in the working directory.
   *
   * @throws IllegalArgumentException if the file is missing or unusable, the oracle unknown, or
   *     the process does not start or does not declare a model
   */
  public static LoadedModel open(String spec, Path base, NoiseSchedule schedule, ModelInput input,
      RuntimeOptions runtime) throws IOException {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("model must name an ONNX file, an oracle or a process,"
          + " got '" + spec + "'");
    }
    if (spec.startsWith(ProcessModel.PREFIX)) {
      ProcessModel process = ProcessModel.start(spec, ChildLimits.defaults());
      return new LoadedModel(spec, new TimedModel(process), process.environment(), null, null,
          process::close);
    }
    if (spec.startsWith(Oracle.PREFIX)) {
      Oracle oracle = Oracle.of(spec);
      NoisePredictor model = oracle.model(schedule);
      Environment env = new Environment("jvm", "float64", "Diffusion TCK reference (ND4J, double)",
          "exact oracle " + spec);
      return new LoadedModel(spec, new TimedModel(model), env, null, oracle, () -> { });
    }
    Path file = base.resolve(spec);
    OnnxModel onnx = OnnxModel.open(file, input, runtime);
    return new LoadedModel(spec, new TimedModel(onnx), onnx.environment(), Sha256.of(file), null,
        onnx::close);
  }

  /** Whether this is an ONNX file (whose path a record keeps relative to itself). */
  public boolean isFile() {
    return sha256 != null;
  }

  /**
   * The key of the record's tolerances this model is held to, among {@code keys}: its
   * environment's; for a float64 model whose device has none, the record's float64 key
   * ({@code jvm-float64}): what those tolerances allow, the last-bit rounding of double precision
   * amplified by the samplers, is the same on any device and in any language.
   */
  public String toleranceKey(Set<String> keys) {
    String own = environment.key();
    if (keys.contains(own) || !environment.dtype().equals("float64")) {
      return own;
    }
    return keys.stream().filter(k -> k.endsWith("-float64")).findFirst().orElse(own);
  }

  /** Whether this is an exact oracle. */
  public boolean isOracle() {
    return oracle != null;
  }

  @Override
  public void close() {
    closer.run();
  }
}
