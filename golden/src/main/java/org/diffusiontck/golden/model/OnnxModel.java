package org.diffusiontck.golden.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.diffusiontck.reference.Require;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An exported ε-, x_0- or v-prediction network, run by ONNX Runtime, as a {@link NoisePredictor}
 * for the reference samplers. The kit's x_t (double) is rounded to the network's input type
 * (float32 or float16; float64 is passed as is), the papers' t is turned into the model's timestep
 * by {@link ModelTimestep} in the input's declared type, and the output is read back as doubles.
 *
 * <p>Float16: doubles are rounded to float32 and then to float16 (ONNX Runtime's {@link
 * Fp16Conversions}, round to nearest even); the double rounding differs from one direct rounding
 * only on ties of the second, a last-bit difference.
 */
public final class OnnxModel implements NoisePredictor, AutoCloseable {
  private final Path file;
  private final ModelInput input;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final OnnxJavaType sampleType;
  private final OnnxJavaType timestepType;
  private final boolean scalarTimestep;
  private final Environment environment;

  private OnnxModel(Path file, ModelInput input, RuntimeOptions runtime) throws OrtException {
    this.file = file;
    this.input = input;
    this.env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(runtime.threads());
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(runtime.optimize()
          ? OrtSession.SessionOptions.OptLevel.ALL_OPT
          : OrtSession.SessionOptions.OptLevel.NO_OPT);
      if (runtime.provider() == ExecutionProvider.CUDA) {
        addCuda(options, runtime.device());
      }
      this.session = env.createSession(file.toString(), options);
    }
    Map<String, NodeInfo> inputs = session.getInputInfo();
    TensorInfo sample = tensor(inputs, input.sampleInput(), "input");
    TensorInfo timestep = tensor(inputs, input.timestepInput(), "input");
    tensor(session.getOutputInfo(), input.output(), "output");
    this.sampleType = sample.type;
    if (sampleType != OnnxJavaType.FLOAT && sampleType != OnnxJavaType.FLOAT16
        && sampleType != OnnxJavaType.DOUBLE) {
      throw new IllegalArgumentException("model " + file + ": input '" + input.sampleInput()
          + "' must be float32, float16 or float64, got " + name(sampleType));
    }
    this.timestepType = timestep.type;
    if (!input.timestepType().equals("auto") && !input.timestepType().equals(name(timestepType))) {
      throw new IllegalArgumentException("model " + file + ": timestep input '"
          + input.timestepInput() + "' is declared " + name(timestepType) + ", not "
          + input.timestepType() + " as given");
    }
    if (!Arrays.asList(OnnxJavaType.INT64, OnnxJavaType.INT32, OnnxJavaType.FLOAT,
        OnnxJavaType.FLOAT16, OnnxJavaType.DOUBLE).contains(timestepType)) {
      throw new IllegalArgumentException("model " + file + ": timestep input '"
          + input.timestepInput() + "' must be int64, int32, float32, float16 or float64, got "
          + name(timestepType));
    }
    this.scalarTimestep = timestep.getShape().length == 0;
    this.environment = new Environment(runtime.provider().device(), name(sampleType),
        "ONNX Runtime " + env.getVersion(),
        runtime.provider() == ExecutionProvider.CPU
            ? "CPUExecutionProvider" : "CUDAExecutionProvider:" + runtime.device());
  }

  /**
   * Loads {@code file}.
   *
   * @throws IllegalArgumentException if the file is missing, ONNX Runtime cannot load it, or its
   *     inputs and output are not as {@code input} says (the message lists what the model has)
   */
  public static OnnxModel open(Path file, ModelInput input, RuntimeOptions runtime) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("model file " + file + " does not exist");
    }
    try {
      return new OnnxModel(file, input, runtime);
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "model " + file + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
    }
  }

  @Override
  public Prediction prediction() {
    return input.prediction();
  }

  /** The network's output at (x_t, t), as doubles of x_t's shape. */
  @Override
  public INDArray predict(INDArray xt, int[] t) {
    Require.onePerSample("t", t, "xt", xt);
    long[] shape = xt.shape();
    double[] x = xt.dup('c').data().asDouble();
    try (OnnxTensor sample = sampleTensor(x, shape);
        OnnxTensor timestep = timestepTensor(t);
        OrtSession.Result result =
            session.run(Map.of(input.sampleInput(), sample, input.timestepInput(), timestep))) {
      OnnxValue value = result.get(input.output()).orElseThrow();
      double[] out = read((OnnxTensor) value, shape);
      return Nd4j.create(out, shape, 'c');
    } catch (OrtException e) {
      throw new IllegalArgumentException("model " + file + " failed on x_t of shape "
          + Arrays.toString(shape) + ": " + e.getMessage(), e);
    }
  }

  /** Where the network runs; its key selects a record's tolerances. */
  public Environment environment() {
    return environment;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the ONNX Runtime session failed", e);
    }
  }

  private static void addCuda(OrtSession.SessionOptions options, int device) {
    try {
      options.addCUDA(device);
    } catch (OrtException e) {
      throw new IllegalArgumentException("the CUDA execution provider is not available here ("
          + e.getMessage().strip() + "): put com.microsoft.onnxruntime:onnxruntime_gpu:"
          + OrtEnvironment.getEnvironment().getVersion() + " on the classpath instead of"
          + " onnxruntime, with a CUDA and cuDNN it supports (golden/README.md)", e);
    }
  }

  private OnnxTensor sampleTensor(double[] x, long[] shape) throws OrtException {
    if (sampleType == OnnxJavaType.DOUBLE) {
      return OnnxTensor.createTensor(env, java.nio.DoubleBuffer.wrap(x), shape);
    }
    if (sampleType == OnnxJavaType.FLOAT) {
      float[] f = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        f[i] = (float) x[i];
      }
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
    }
    ByteBuffer half = ByteBuffer.allocateDirect(2 * x.length).order(ByteOrder.nativeOrder());
    for (double v : x) {
      half.putShort(Fp16Conversions.floatToFp16((float) v));
    }
    half.rewind();
    return OnnxTensor.createTensor(env, half, shape, OnnxJavaType.FLOAT16);
  }

  private OnnxTensor timestepTensor(int[] t) throws OrtException {
    if (scalarTimestep) {
      for (int tb : t) {
        if (tb != t[0]) {
          throw new IllegalArgumentException("model " + file + " takes one scalar timestep for"
              + " the whole batch, got different timesteps " + Arrays.toString(t));
        }
      }
    }
    int n = scalarTimestep ? 1 : t.length;
    long[] shape = scalarTimestep ? new long[0] : new long[] {n};
    ByteBuffer b = ByteBuffer.allocateDirect(n * timestepType.size).order(ByteOrder.nativeOrder());
    for (int i = 0; i < n; i++) {
      long v = input.timestep().value(t[i]);
      switch (timestepType) {
        case INT64 -> b.putLong(v);
        case INT32 -> b.putInt((int) v);
        case FLOAT -> b.putFloat(v);
        case FLOAT16 -> b.putShort(Fp16Conversions.floatToFp16(v));
        default -> b.putDouble(v);
      }
    }
    b.rewind();
    return OnnxTensor.createTensor(env, b, shape, timestepType);
  }

  private double[] read(OnnxTensor out, long[] shape) {
    long[] got = out.getInfo().getShape();
    if (!Arrays.equals(got, shape)) {
      throw new IllegalArgumentException("model " + file + ": output '" + input.output()
          + "' has shape " + Arrays.toString(got) + ", x_t has " + Arrays.toString(shape));
    }
    OnnxJavaType type = out.getInfo().type;
    if (type == OnnxJavaType.DOUBLE) {
      double[] d = new double[(int) out.getInfo().getNumElements()];
      out.getDoubleBuffer().get(d);
      return d;
    }
    if (type != OnnxJavaType.FLOAT && type != OnnxJavaType.FLOAT16) {
      throw new IllegalArgumentException("model " + file + ": output '" + input.output()
          + "' must be float32, float16 or float64, got " + name(type));
    }
    FloatBuffer f = out.getFloatBuffer();
    double[] d = new double[f.remaining()];
    for (int i = 0; i < d.length; i++) {
      d[i] = f.get(i);
    }
    return d;
  }

  /** The tensor named {@code name} among {@code nodes}; an error listing them if it is absent. */
  private TensorInfo tensor(Map<String, NodeInfo> nodes, String name, String kind) {
    NodeInfo node = nodes.get(name);
    if (node == null || !(node.getInfo() instanceof TensorInfo info)) {
      throw new IllegalArgumentException("model " + file + " has no tensor " + kind + " '" + name
          + "'; its " + kind + "s are " + describe(nodes));
    }
    return info;
  }

  private static String describe(Map<String, NodeInfo> nodes) {
    StringBuilder b = new StringBuilder();
    nodes.forEach((name, node) -> {
      b.append(b.length() == 0 ? "" : ", ").append('\'').append(name).append('\'');
      if (node.getInfo() instanceof TensorInfo info) {
        b.append(' ').append(name(info.type)).append(' ').append(Arrays.toString(info.getShape()));
      }
    });
    return b.toString();
  }

  /** "float32", "float16", "int64", … */
  static String name(OnnxJavaType type) {
    return switch (type) {
      case FLOAT -> "float32";
      case DOUBLE -> "float64";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }
}
