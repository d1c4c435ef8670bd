package org.diffusiontck.golden.cli;

import org.diffusiontck.golden.model.ExecutionProvider;
import org.diffusiontck.golden.model.ModelInput;
import org.diffusiontck.golden.model.ModelTimestep;
import org.diffusiontck.golden.model.RuntimeOptions;
import org.diffusiontck.reference.param.Prediction;
import picocli.CommandLine.Option;

/**
 * How an ONNX model is called and run. Every option left out takes the value of a base: the
 * common export's for {@code golden record}, the recorded one for {@code golden verify}.
 */
final class ModelOptions {
  @Option(names = "--sample-input", paramLabel = "NAME",
      description = "The name of the x_t input, float32 or float16 [B, C, H, W] (default"
          + " sample).")
  String sampleInput;

  @Option(names = "--timestep-input", paramLabel = "NAME",
      description = "The name of the timestep input, [B] or a scalar (default timestep).")
  String timestepInput;

  @Option(names = "--output", paramLabel = "NAME",
      description = "The name of the output (default out_sample).")
  String output;

  @Option(names = "--timestep", paramLabel = "CONVENTION",
      description = "What the timestep input carries: zero-based-index (default; i = t - 1, as"
          + " diffusers) or paper-t (t in 1..T).")
  ModelTimestep timestep;

  @Option(names = "--timestep-dtype", paramLabel = "TYPE",
      description = "The timestep input's type: auto (default: as the model declares it), int64,"
          + " int32, float32, float16 or float64; anything else than what the model declares"
          + " is an error.")
  String timestepType;

  @Option(names = "--prediction", paramLabel = "P",
      description = "What the network outputs: epsilon (default), x0 or v.")
  Prediction prediction;

  @Option(names = "--provider", defaultValue = "cpu", paramLabel = "EP",
      description = "ONNX Runtime's execution provider: cpu (default) or cuda (needs the"
          + " onnxruntime_gpu artifact on the classpath, golden/README.md).")
  ExecutionProvider provider;

  @Option(names = "--device", defaultValue = "0", paramLabel = "N",
      description = "The GPU's index for cuda (default 0).")
  int device;

  @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
      description = "ONNX Runtime's intra-op threads (default 1).")
  int threads;

  /** The settings given, the rest from {@code base}. */
  ModelInput input(ModelInput base) {
    return new ModelInput(
        sampleInput != null ? sampleInput : base.sampleInput(),
        timestepInput != null ? timestepInput : base.timestepInput(),
        output != null ? output : base.output(),
        timestep != null ? timestep : base.timestep(),
        timestepType != null ? timestepType : base.timestepType(),
        prediction != null ? prediction : base.prediction());
  }

  /** Whether any setting of the model's inputs was given. */
  boolean anyInputGiven() {
    return sampleInput != null || timestepInput != null || output != null || timestep != null
        || timestepType != null || prediction != null;
  }

  RuntimeOptions runtime() {
    return new RuntimeOptions(provider, device, threads, true);
  }
}
