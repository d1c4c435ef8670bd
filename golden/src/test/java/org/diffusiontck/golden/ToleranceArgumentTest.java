package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.diffusiontck.checks.impl.LinearEndpoints;
import org.diffusiontck.checks.reference.ReferenceSchedules;
import org.diffusiontck.golden.check.Comparison;
import org.diffusiontck.golden.check.SampleDiff;
import org.diffusiontck.golden.model.ExecutionProvider;
import org.diffusiontck.golden.model.ModelInput;
import org.diffusiontck.golden.model.OnnxModel;
import org.diffusiontck.golden.model.RuntimeOptions;
import org.diffusiontck.golden.model.TimedModel;
import org.diffusiontck.golden.record.GoldenRecord;
import org.diffusiontck.golden.record.Manifest;
import org.diffusiontck.golden.record.SamplerSpec;
import org.diffusiontck.golden.record.Tolerance;
import org.diffusiontck.golden.run.GoldenRun;
import org.diffusiontck.golden.run.Outcome;
import org.diffusiontck.golden.run.Settings;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The argument of the shipped record's tolerances (golden/README.md, "Tolerances"), checked on
 * this machine: the variations that can be provoked here stay far inside them. For cpu-float32,
 * at least 10 times inside: ONNX Runtime without graph optimizations (other kernels, other
 * rounding) and outputs jittered by 2^−20 relative (8 float32 ulps). For cpu-float16, at least 5
 * times: the float16 export (input and output rounded to float16).
 */
class ToleranceArgumentTest {
  private static GoldenRecord record;
  private static Settings settings;

  @BeforeAll
  static void shippedRecord() throws Exception {
    Tensors.useDoubles();
    record = GoldenRecord.open(Repo.DIGITS);
    Manifest m = record.manifest();
    settings = new Settings(ReferenceSchedules.of(m.schedule().spec(), LinearEndpoints.FIXED),
        m.sampleShape(), m.seeds(), m.samplers(), record.evaluationBatch(),
        m.evaluation().noiseSeed());
  }

  @Test
  void float32WithoutGraphOptimizationsIsTenTimesInside() throws Exception {
    try (OnnxModel m = OnnxModel.open(Repo.CHECKPOINT, ModelInput.COMMON_EXPORT,
        new RuntimeOptions(ExecutionProvider.CPU, 0, 1, false))) {
      within(GoldenRun.run(settings, new TimedModel(m)), "cpu-float32", 10);
    }
  }

  @Test
  void float32OutputsJitteredBy8UlpsAreTenTimesInside() throws Exception {
    try (OnnxModel m = OnnxModel.open(Repo.CHECKPOINT, ModelInput.COMMON_EXPORT,
        RuntimeOptions.DEFAULT)) {
      PortableNoise u = new PortableNoise(20, 1);
      double delta = Math.scalb(1.0, -20);
      NoisePredictor jittered = new NoisePredictor() {
        @Override
        public Prediction prediction() {
          return m.prediction();
        }

        @Override
        public INDArray predict(INDArray xt, int[] t) {
          INDArray out = m.predict(xt, t);
          return out.add(out.mul(u.normal(out.shape()).muli(delta)));
        }
      };
      within(GoldenRun.run(settings, new TimedModel(jittered)), "cpu-float32", 10);
    }
  }

  @Test
  void theFloat16ExportIsFiveTimesInside() throws Exception {
    try (OnnxModel m = OnnxModel.open(Repo.CHECKPOINT_FP16_IO, ModelInput.COMMON_EXPORT,
        RuntimeOptions.DEFAULT)) {
      within(GoldenRun.run(settings, new TimedModel(m)), "cpu-float16", 5);
    }
  }

  /**
   * Samples: max |Δ| at most tolerance / margin, PSNR at least 20 log10(margin) dB above the
   * tolerance's; loss |Δ| at most its allowance / margin at every t; bound |Δ| at most its
   * allowance / margin.
   */
  private static void within(Outcome run, String key, double margin) throws Exception {
    Manifest m = record.manifest();
    Tolerance tol = m.tolerance(key);
    Map<String, INDArray> golden = new java.util.LinkedHashMap<>();
    for (SamplerSpec s : m.samplers()) {
      golden.put(s.name(), record.samples(s));
    }
    double[] loss = record.loss().toDoubleVector();
    Tolerance strict = new Tolerance(tol.sampleMaxAbs() / margin,
        tol.samplePsnrDb() + 20 * Math.log10(margin), tol.lossRel() / margin,
        tol.lossAbs() / margin, tol.boundBits() / margin, 0, "test");
    Comparison.Result c = Comparison.compare(m, golden, loss, record.metrics(), run.samples(),
        run.loss(), run.metrics(), key, strict);
    for (SampleDiff d : c.diffs()) {
      assertThat(d.passed()).as(key + " " + d.sampler() + " seed " + d.seed() + ": max |Δ| "
          + d.maxAbs() + ", PSNR " + d.psnr()).isTrue();
    }
    c.checks().forEach(check -> assertThat(check.passed()).as(check.id() + ": "
        + check.observed()).isTrue());
  }
}
