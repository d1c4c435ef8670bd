package org.diffusiontck.golden.model;

import java.io.IOException;
import java.nio.file.Path;
import org.diffusiontck.golden.record.Sha256;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.diffusiontck.reference.schedule.NoiseSchedule;

/**
 * A model opened from its name: a path to an ONNX file, or {@code oracle:<name>} ({@link Oracle}).
 *
 * @param spec the name it was opened by
 * @param predictor the model, timed
 * @param environment where it runs
 * @param sha256 the SHA-256 of the ONNX file; null for an oracle
 * @param oracle the oracle, or null for a network
 * @param closer releases what the model holds (ONNX Runtime's session)
 */
public record LoadedModel(
    String spec, TimedModel predictor, Environment environment, String sha256, Oracle oracle,
    Runnable closer) implements AutoCloseable {

  /**
   * Opens the model {@code spec}; a relative path is resolved against {@code base}.
   *
   * @throws IllegalArgumentException if the file is missing or unusable, or the oracle unknown
   */
  public static LoadedModel open(String spec, Path base, NoiseSchedule schedule, ModelInput input,
      RuntimeOptions runtime) throws IOException {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("model must name an ONNX file or an oracle, got '"
          + spec + "'");
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

  /** Whether this is an exact oracle. */
  public boolean isOracle() {
    return oracle != null;
  }

  @Override
  public void close() {
    closer.run();
  }
}
